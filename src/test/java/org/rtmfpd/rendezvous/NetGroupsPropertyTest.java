package org.rtmfpd.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.testing.Generators.forAll;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rtmfpd.testing.Generators;

/** NetGroup joins and leaves under random orders, checked against the rules in {@link NetGroups}. */
class NetGroupsPropertyTest {
    private static final GroupId G = Ids.group(1);

    @Test
    void twentyJoinersEachReceiveAtMostFiveNeverThemselvesNeverADepartedOne() {
        forAll(200, r -> {
            List<Integer> actions = Generators.listOf(r, 40, 40, g -> Generators.intBetween(g, 0, 2));
            twentyJoiners(actions, r.nextLong());
        });
    }

    /**
     * Actions 1 and 2 join the next of twenty joiners; 0, and any action once all twenty have
     * joined, makes a random member leave, if there is one.
     */
    private static void twentyJoiners(List<Integer> actions, long seed) {
        NetGroups groups = new NetGroups(new Random(seed));
        Random pick = new Random(seed ^ 0x5DEECE66DL);
        List<Integer> present = new ArrayList<>();
        Set<Integer> departed = new HashSet<>();
        int nextJoiner = 0;
        for (int action : actions) {
            if (action > 0 && nextJoiner < 20) {
                int n = nextJoiner++;
                List<PeerId> handed = groups.join("k", G, Ids.peer(n), 5);
                int others = present.size();
                assertTrue(handed.size() <= 5, "joiner " + n + " got " + handed.size());
                assertEquals(Math.min(others, 5), handed.size(), "handed out fewer than it could");
                assertEquals(handed.size(), new HashSet<>(handed).size(), "repeats in " + handed);
                assertFalse(handed.contains(Ids.peer(n)), "handed itself");
                for (int d : departed) {
                    assertFalse(handed.contains(Ids.peer(d)), "handed departed " + d);
                }
                for (PeerId p : handed) {
                    assertTrue(present.stream().anyMatch(q -> Ids.peer(q).equals(p)), "not a member: " + p);
                }
                if (others > 5) {
                    List<PeerId> newest = new ArrayList<>();
                    for (int i = others - 1; i >= others - 4; i--) {
                        newest.add(Ids.peer(present.get(i)));
                    }
                    assertEquals(newest, handed.subList(0, 4), "the four newest come first");
                }
                present.add(n);
            } else if (!present.isEmpty()) {
                int idx = pick.nextInt(present.size());
                int leaver = present.get(idx);
                Optional<NetGroups.Referral> r = pick.nextBoolean()
                        ? groups.leave("k", G, Ids.peer(leaver))
                        : groups.leaveAll(Ids.peer(leaver)).stream().findFirst();
                present.remove(idx);
                departed.add(leaver);
                if (idx > 0 && idx < present.size()) {
                    NetGroups.Referral ref = r.orElseThrow(() -> new AssertionError("no referral for " + leaver));
                    assertEquals(Ids.peer(present.get(idx)), ref.recipient(), "the follower is told");
                    assertEquals(Ids.peer(present.get(Math.max(0, idx - 4))), ref.member());
                    assertNotEquals(ref.recipient(), ref.member());
                } else {
                    assertEquals(Optional.empty(), r);
                }
            }
            List<PeerId> expected = present.stream().map(Ids::peer).toList();
            assertEquals(expected, groups.members("k", G), "join order");
        }
        for (int n : new ArrayList<>(present)) {
            groups.leaveAll(Ids.peer(n));
        }
        assertEquals(0, groups.groupCount(), "empty groups are removed");
        assertEquals(0, groups.memberCount());
    }

    @Test
    void everyMemberIsEventuallyHandedOutAsTheRandomOne() {
        forAll(100, r -> {
            // With 20 members and cap 5 the random pick must be able to reach the oldest members too.
            NetGroups groups = new NetGroups(new Random(r.nextLong()));
            for (int n = 0; n < 20; n++) {
                groups.join("k", G, Ids.peer(n), 5);
            }
            Set<PeerId> seen = new HashSet<>();
            for (int i = 0; i < 400; i++) {
                seen.addAll(groups.join("k", G, Ids.peer(1000), 5));
            }
            assertEquals(20, seen.size(), "all other members reachable: " + seen.size());
        });
    }
}
