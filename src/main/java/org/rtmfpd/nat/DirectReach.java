package org.rtmfpd.nat;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Whether two peers get a direct session after an RTMFP introduction, from their NATs' mapping and
 * filtering (RFC 4787; hole punching as in RFC 5128 §3.3). The one rule that the probe, the check page
 * and docs/nat.md all use.
 *
 * <p>An introduction makes both peers send: the initiator X its IHellos to the address at which the
 * server sees the target Y (Y's server mapping), and Y its RHellos to X's server mapping (RFC 7016
 * §3.5.1.5); each answers a packet at its source. A packet from X reaches Y when Y's filter lets in its
 * source (RFC 4787 §5: by what Y's internal endpoint has sent): any source with endpoint-independent
 * filtering; any from X's IP with address-dependent filtering (Y has sent its RHellos there); only X's
 * server mapping with address and port-dependent filtering, so X's mapping must be endpoint-independent
 * (X's packets then leave from the mapping Y sent to). Y's answer then reaches X when X's filter lets in
 * the address it comes from, which is Y's server mapping, the one X sent to, only if Y maps
 * endpoint-independently. A session opens when this works in
 * either direction. Assumed: each NAT has one public IP address (paired pooling, RFC 4787 §4.1), and
 * peers behind one NAT reach each other by their local addresses.
 */
public final class DirectReach {
    /** Whether a peer's reach to one kind of peer NAT is certain, impossible, or depends on what is unknown. */
    public enum Reach {
        YES("yes"), NO("no"), DEPENDS("cannot tell");

        private final String words;

        Reach(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    private DirectReach() {
    }

    /** Whether peers behind NATs A and B (mapping, filtering) get a direct session. */
    public static boolean direct(NatBehaviour mappingA, NatBehaviour filteringA, NatBehaviour mappingB,
            NatBehaviour filteringB) {
        return oneWay(mappingA, filteringA, mappingB, filteringB) || oneWay(mappingB, filteringB, mappingA, filteringA);
    }

    /** X's packets to Y's server mapping get into Y, and Y's answers get back into X. */
    static boolean oneWay(NatBehaviour mappingX, NatBehaviour filteringX, NatBehaviour mappingY, NatBehaviour filteringY) {
        boolean in = filteringY != NatBehaviour.ADDRESS_AND_PORT_DEPENDENT
                || mappingX == NatBehaviour.ENDPOINT_INDEPENDENT;
        boolean back = filteringX != NatBehaviour.ADDRESS_AND_PORT_DEPENDENT
                || mappingY == NatBehaviour.ENDPOINT_INDEPENDENT;
        return in && back;
    }

    /** Whether this machine, with the mapping and filtering it knows (empty: unknown), reaches a peer of {@code kind}. */
    public static Reach reaches(Optional<NatBehaviour> mapping, Optional<NatBehaviour> filtering, PeerKind kind) {
        Set<NatBehaviour> mappings = mapping.map(EnumSet::of).orElse(EnumSet.allOf(NatBehaviour.class));
        Set<NatBehaviour> filterings = filtering.map(EnumSet::of).orElse(EnumSet.allOf(NatBehaviour.class));
        boolean any = false;
        boolean all = true;
        for (NatBehaviour m : mappings) {
            for (NatBehaviour f : filterings) {
                boolean d = direct(m, f, kind.mapping(), kind.filtering());
                any |= d;
                all &= d;
            }
        }
        return all ? Reach.YES : any ? Reach.DEPENDS : Reach.NO;
    }
}
