package org.rtmfpd.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rtmfpd.nat.NatBehaviour.ADDRESS_AND_PORT_DEPENDENT;
import static org.rtmfpd.nat.NatBehaviour.ADDRESS_DEPENDENT;
import static org.rtmfpd.nat.NatBehaviour.ENDPOINT_INDEPENDENT;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DirectReachTest {
    private static boolean direct(PeerKind a, PeerKind b) {
        return DirectReach.direct(a.mapping(), a.filtering(), b.mapping(), b.filtering());
    }

    /** The table of docs/nat.md: rows and columns full cone, restricted, port-restricted, symmetric. */
    @Test
    void theNamedKindsMeetAsTheTableSays() {
        String[] expected = {
            "YYYY",
            "YYYY",
            "YYYN",
            "YYNN"};
        PeerKind[] kinds = PeerKind.values();
        for (int i = 0; i < kinds.length; i++) {
            for (int j = 0; j < kinds.length; j++) {
                assertEquals(expected[i].charAt(j) == 'Y', direct(kinds[i], kinds[j]), kinds[i] + " with " + kinds[j]);
            }
        }
    }

    @Test
    void theRuleIsSymmetricOverAllMappingsAndFilterings() {
        for (NatBehaviour ma : NatBehaviour.values()) {
            for (NatBehaviour fa : NatBehaviour.values()) {
                for (NatBehaviour mb : NatBehaviour.values()) {
                    for (NatBehaviour fb : NatBehaviour.values()) {
                        assertEquals(DirectReach.direct(ma, fa, mb, fb), DirectReach.direct(mb, fb, ma, fa));
                    }
                }
            }
        }
    }

    @Test
    void endpointIndependentFilteringBehindAnEndpointIndependentMappingReachesEverything() {
        for (NatBehaviour m : NatBehaviour.values()) {
            for (NatBehaviour f : NatBehaviour.values()) {
                assertEquals(true, DirectReach.direct(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT, m, f));
                assertEquals(true, DirectReach.direct(ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT, m, f),
                        "restricted cone meets " + m + "/" + f);
            }
        }
    }

    @Test
    void aSymmetricNatMeetsOnlyPeersWhoseFilterLetsItsNewPortIn() {
        assertEquals(false, DirectReach.direct(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT,
                ADDRESS_AND_PORT_DEPENDENT, ENDPOINT_INDEPENDENT), "symmetric with an endpoint-independent filter but a new port");
        assertEquals(false, DirectReach.direct(ADDRESS_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT,
                ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT));
        assertEquals(false, DirectReach.direct(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_DEPENDENT,
                ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT), "its answers leave from a port the peer never sent to");
        assertEquals(true, DirectReach.direct(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_DEPENDENT,
                ADDRESS_AND_PORT_DEPENDENT, ADDRESS_DEPENDENT), "address-dependent filters take each other's new ports");
    }

    @Test
    void unknownBehaviourGivesYesOnlyWhenEveryCaseDoes() {
        assertEquals(DirectReach.Reach.YES, DirectReach.reaches(Optional.of(ENDPOINT_INDEPENDENT), Optional.empty(),
                PeerKind.PORT_RESTRICTED_CONE));
        assertEquals(DirectReach.Reach.DEPENDS, DirectReach.reaches(Optional.of(ENDPOINT_INDEPENDENT), Optional.empty(),
                PeerKind.SYMMETRIC));
        assertEquals(DirectReach.Reach.NO, DirectReach.reaches(Optional.of(ADDRESS_AND_PORT_DEPENDENT), Optional.empty(),
                PeerKind.PORT_RESTRICTED_CONE));
        assertEquals(DirectReach.Reach.YES, DirectReach.reaches(Optional.empty(), Optional.empty(), PeerKind.FULL_CONE));
        assertEquals(DirectReach.Reach.DEPENDS, DirectReach.reaches(Optional.empty(), Optional.empty(), PeerKind.SYMMETRIC));
    }

    /** docs/nat.md's table says what the rule says. */
    @Test
    void theTableInDocsNatMdIsTheRule() throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("docs/nat.md"));
        for (PeerKind row : PeerKind.values()) {
            String line = lines.stream().filter(l -> l.startsWith("| " + row.describe() + " |")).findFirst()
                    .orElseThrow(() -> new AssertionError("docs/nat.md has no row for " + row.describe()));
            String[] cells = line.split("\\|");
            for (PeerKind column : PeerKind.values()) {
                String cell = cells[2 + column.ordinal()].replace("*", "").strip();
                assertEquals(direct(row, column) ? "yes" : "no", cell, row + " with " + column);
            }
        }
    }
}
