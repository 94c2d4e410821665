package org.rtmfpd.natlab;

/**
 * The NAT behaviours the lab's routers have, in RFC 4787's terms (§4.1 mapping, §5 filtering), each with
 * the nftables rule that makes a Linux router behave so. Every router also drops unsolicited input, as
 * home routers do: otherwise an unsolicited packet to the router leaves a conntrack entry that takes the
 * port a mapping needs, and hole punching fails for every server alike.
 */
enum NatKind {
    /** No translation, a stateful firewall: address-and-port-dependent filtering (IPv6 home routers). */
    FIREWALL("firewall", "none (routed)", "address and port-dependent"),
    /** Linux {@code masquerade}: the common home router, "port-restricted cone". */
    PORT_RESTRICTED("port-restricted", "endpoint-independent", "address and port-dependent"),
    /** Masquerade plus inbound forwarding to the one LAN host: "full cone". */
    FULL_CONE("full-cone", "endpoint-independent", "endpoint-independent"),
    /** {@code masquerade fully-random}: a new port for each destination, "symmetric" (mobile, corporate). */
    SYMMETRIC("symmetric", "address and port-dependent", "address and port-dependent");

    final String word;
    final String mapping;
    final String filtering;

    NatKind(String word, String mapping, String filtering) {
        this.word = word;
        this.mapping = mapping;
        this.filtering = filtering;
    }

    static NatKind of(String word) {
        for (NatKind k : values()) {
            if (k.word.equals(word)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown NAT kind '" + word + "'");
    }

    /** Whether the router translates IPv4 addresses. */
    boolean translates() {
        return this != FIREWALL;
    }
}
