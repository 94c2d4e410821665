package org.rtmfpd.nat;

/**
 * How a NAT maps or filters (RFC 4787 §4.1, §5), in RFC 4787's words. A mapping is reused for, and a
 * filter lets in, every remote endpoint; those of one remote IP address; or those of one remote IP
 * address and port.
 */
public enum NatBehaviour {
    ENDPOINT_INDEPENDENT("endpoint-independent", "EIM", "EIF"),
    ADDRESS_DEPENDENT("address-dependent", "ADM", "ADF"),
    ADDRESS_AND_PORT_DEPENDENT("address and port-dependent", "APDM", "APDF");

    private final String words;
    private final String mappingAbbreviation;
    private final String filteringAbbreviation;

    NatBehaviour(String words, String mappingAbbreviation, String filteringAbbreviation) {
        this.words = words;
        this.mappingAbbreviation = mappingAbbreviation;
        this.filteringAbbreviation = filteringAbbreviation;
    }

    /** RFC 4787's words, such as {@code address and port-dependent}. */
    public String words() {
        return words;
    }

    /** As a mapping, such as {@code APDM}. */
    public String asMapping() {
        return mappingAbbreviation;
    }

    /** As a filtering, such as {@code APDF}. */
    public String asFiltering() {
        return filteringAbbreviation;
    }
}
