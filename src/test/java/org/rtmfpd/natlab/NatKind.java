package org.rtmfpd.natlab;

/**
 * The NAT behaviours the lab's routers have, in RFC 4787's terms (§4.1 mapping, §5 filtering);
 * {@link NftRules} writes the nftables rules that make a Linux router behave so. Every router also
 * drops unsolicited input, as home routers do: otherwise an unsolicited packet to the router leaves a
 * conntrack entry that takes the port a mapping needs, and hole punching fails for every server alike.
 */
enum NatKind {
    /** No translation, a stateful firewall: address-and-port-dependent filtering (IPv6 home routers). */
    FIREWALL("firewall"),
    /** Linux {@code masquerade}: endpoint-independent mapping, address and port-dependent filtering (home routers). */
    PORT_RESTRICTED("port-restricted"),
    /** Masquerade plus inbound forwarding to the one LAN host: endpoint-independent mapping and filtering. */
    FULL_CONE("full-cone"),
    /** {@code masquerade fully-random}: address and port-dependent mapping and filtering (mobile, corporate). */
    SYMMETRIC("symmetric");

    final String word;

    NatKind(String word) {
        this.word = word;
    }

    static NatKind of(String word) {
        for (NatKind k : values()) {
            if (k.word.equals(word)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown NAT kind '" + word + "'");
    }
}
