package org.rtmfpd.nat;

/**
 * The kinds of NAT a peer may sit behind, by the names home routers are known by (RFC 3489 §5's "cone"
 * names) with their RFC 4787 mapping and filtering. A port-restricted cone is what most home routers
 * and Linux's masquerading are; symmetric is common in carrier-grade and corporate NATs.
 */
public enum PeerKind {
    FULL_CONE("full cone", NatBehaviour.ENDPOINT_INDEPENDENT, NatBehaviour.ENDPOINT_INDEPENDENT),
    RESTRICTED_CONE("restricted cone", NatBehaviour.ENDPOINT_INDEPENDENT, NatBehaviour.ADDRESS_DEPENDENT),
    PORT_RESTRICTED_CONE("port-restricted cone", NatBehaviour.ENDPOINT_INDEPENDENT,
            NatBehaviour.ADDRESS_AND_PORT_DEPENDENT),
    SYMMETRIC("symmetric", NatBehaviour.ADDRESS_AND_PORT_DEPENDENT, NatBehaviour.ADDRESS_AND_PORT_DEPENDENT);

    /** The kind that "peers behind common home routers" means: the probe's exit code asks about this one. */
    public static final PeerKind COMMON_HOME_ROUTER = PORT_RESTRICTED_CONE;

    private final String words;
    private final NatBehaviour mapping;
    private final NatBehaviour filtering;

    PeerKind(String words, NatBehaviour mapping, NatBehaviour filtering) {
        this.words = words;
        this.mapping = mapping;
        this.filtering = filtering;
    }

    public String words() {
        return words;
    }

    public NatBehaviour mapping() {
        return mapping;
    }

    public NatBehaviour filtering() {
        return filtering;
    }

    /** Such as {@code port-restricted cone (EIM, APDF)}. */
    public String describe() {
        return words + " (" + mapping.asMapping() + ", " + filtering.asFiltering() + ")";
    }
}
