package org.rtmfpd.nat;

import java.util.Locale;

/**
 * Why a STUN datagram got no answer. Each constant's {@link #label()} is both its metric label
 * ({@code rtmfpd_dropped_total{reason="stun_…"}}) and the event name in the debug log.
 */
public enum StunDrop {
    /** Shorter than the 20-byte header, or its length field disagrees with the datagram (RFC 8489 §5). */
    MALFORMED_HEADER,
    /** An attribute runs past the end of the message, or a known one has the wrong length (RFC 8489 §14). */
    MALFORMED_ATTRIBUTE,
    /** FINGERPRINT present but wrong, or not the last attribute (RFC 8489 §14.7). */
    BAD_FINGERPRINT,
    /** A response, an indication or a method other than Binding: nothing to answer (RFC 8489 §6.3). */
    NOT_A_BINDING_REQUEST,
    /** Past this source's STUN rate (per IPv4 address or IPv6 /64). */
    SOURCE_RATE,
    /** Past the STUN rate of all sources together. */
    GLOBAL_RATE,
    /** The answer would be more than three times the request, from a source that has not proved its address. */
    AMPLIFICATION,
    /** A datagram that is not STUN on one of the addresses that serve STUN only (stun-alternate). */
    NOT_STUN_ON_ALTERNATE;

    private final String label = "stun_" + name().toLowerCase(Locale.ROOT);

    /** The metric label and log event name: {@code stun_} and the constant in lower case. */
    public String label() {
        return label;
    }
}
