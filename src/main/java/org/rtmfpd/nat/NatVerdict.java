package org.rtmfpd.nat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the NAT tests tell about this machine's network: UDP reachability of the server's port, NAT or
 * none, mapping and filtering in RFC 4787's words (or why they cannot be told), hairpinning, and which
 * kinds of peer NAT can be reached directly ({@link DirectReach}). {@link #lines()} are the machine-readable
 * lines that the probe prints and the check page shows; {@link #summary()} says it in plain words.
 *
 * @param udpReachable whether STUN got an answer from the server's port
 * @param nat          a NAT between this machine and the server (empty: unknown)
 * @param mapping      the mapping behaviour (empty: unknown, see {@code mappingUnknown})
 * @param mappingUnknown why the mapping cannot be told ("" when it can)
 * @param filtering    the filtering behaviour (empty: unknown)
 * @param filteringUnknown why the filtering cannot be told ("" when it can)
 * @param hairpinning  whether a packet to this machine's own mapped address came back (empty: not tested)
 */
public record NatVerdict(boolean udpReachable, Optional<Boolean> nat, Optional<NatBehaviour> mapping,
        String mappingUnknown, Optional<NatBehaviour> filtering, String filteringUnknown,
        Optional<Boolean> hairpinning) {

    /** The value of the {@code p2p with common home routers} line. */
    public enum P2p {
        EXPECTED("expected"), NOT_EXPECTED("not expected"), CANNOT_TELL("cannot tell");

        private final String words;

        P2p(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** How this machine reaches a peer of {@code kind}; nothing when UDP does not reach the server. */
    public DirectReach.Reach reach(PeerKind kind) {
        if (!udpReachable) {
            return DirectReach.Reach.NO;
        }
        return DirectReach.reaches(mapping, filtering, kind);
    }

    /** Whether direct sessions with peers behind common home routers ({@link PeerKind#COMMON_HOME_ROUTER}) are expected. */
    public P2p p2p() {
        return switch (reach(PeerKind.COMMON_HOME_ROUTER)) {
            case YES -> P2p.EXPECTED;
            case NO -> P2p.NOT_EXPECTED;
            case DEPENDS -> P2p.CANNOT_TELL;
        };
    }

    /** {@code name: value} lines, one per finding, in a fixed order. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("udp: " + (udpReachable ? "reachable" : "no answer"));
        out.add("nat: " + nat.map(n -> n ? "present" : "none").orElse("unknown"));
        out.add("mapping: " + mapping.map(NatBehaviour::words).orElse("unknown (" + mappingUnknown + ")"));
        out.add("filtering: " + filtering.map(NatBehaviour::words).orElse("unknown (" + filteringUnknown + ")"));
        out.add("hairpinning: " + hairpinning.map(h -> h ? "yes" : "no").orElse("not tested"));
        for (PeerKind kind : PeerKind.values()) {
            out.add("direct to " + kind.words() + ": " + reach(kind).words());
        }
        out.add("p2p with common home routers: " + p2p().words());
        return out;
    }

    /** The finding in plain words, for an app's user or its support staff. */
    public String summary() {
        if (!udpReachable) {
            return "UDP does not reach the server's port from this network (a firewall may drop it), so RTMFP cannot"
                    + " connect from here at all.";
        }
        List<String> yes = kinds(DirectReach.Reach.YES);
        List<String> no = kinds(DirectReach.Reach.NO);
        List<String> maybe = kinds(DirectReach.Reach.DEPENDS);
        StringBuilder s = new StringBuilder("UDP reaches the server. ");
        if (nat.orElse(true) == Boolean.FALSE) {
            s.append("There is no NAT between this machine and the server. ");
        }
        if (!yes.isEmpty()) {
            s.append("Direct peer-to-peer sessions should work with peers behind ").append(join(yes)).append(". ");
        }
        if (!no.isEmpty()) {
            s.append("They will not work with peers behind ").append(join(no))
                    .append(": such peers cannot be reached directly from this network. ");
        }
        if (!maybe.isEmpty()) {
            s.append("With peers behind ").append(join(maybe)).append(" it cannot be told (")
                    .append(mapping.isEmpty() ? mappingUnknown : filteringUnknown).append("). ");
        }
        return s.toString().strip();
    }

    private List<String> kinds(DirectReach.Reach reach) {
        List<String> out = new ArrayList<>();
        for (PeerKind kind : PeerKind.values()) {
            if (reach(kind) == reach) {
                out.add(kind.words() + " NATs");
            }
        }
        return out;
    }

    private static String join(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return items.subList(0, items.size() - 1).stream().collect(Collectors.joining(", ")) + " or "
                + items.get(items.size() - 1);
    }
}
