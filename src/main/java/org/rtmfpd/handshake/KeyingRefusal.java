package org.rtmfpd.handshake;

import java.util.Locale;

/**
 * Why an IIKeying is refused (silently, RFC 7016 §3.5.1.3) before or after the Diffie-Hellman work. Each
 * constant's {@link #label()} is both its metric label ({@code rtmfpd_refused_total{reason="keying_…"}})
 * and the event name in the debug log.
 */
public enum KeyingRefusal {
    /** The certificate is not a well-formed option list (RFC 7016 §2.1.4, RFC 7425 §4.3.1). */
    CERTIFICATE_MALFORMED,
    /** The certificate lists supported ephemeral groups and static keys both (RFC 7425 §4.3.3.3, §4.3.3.5). */
    CERTIFICATE_STATIC_AND_EPHEMERAL,
    /**
     * The certificate holds no static key (RFC 7425 §4.3.3.5): an ephemeral initiator's peer ID could be
     * forged (§4.3.4), and peer IDs are what this server introduces by.
     */
    CERTIFICATE_NOT_STATIC,
    /** The certificate holds two static keys for one group (RFC 7425 §4.3.3.5). */
    CERTIFICATE_GROUP_REPEATED,
    /** The SKIC is not a well-formed option list, or one of its options is (RFC 7425 §4.6.1). */
    SKIC_MALFORMED,
    /** The SKIC of a static initiator selects no group (RFC 7425 §4.6.1, option 0x1d). */
    SKIC_NO_GROUP_SELECT,
    /** The SKIC selects a group more than once, or selects one and carries an ephemeral key too (RFC 7425 §4.6.1). */
    SKIC_GROUP_AMBIGUOUS,
    /** The selected group is not one this server's certificate lists (RFC 7425 §4.6.3). */
    GROUP_NOT_SUPPORTED,
    /** The certificate has no static key for the group the SKIC selects (RFC 7425 §4.6.3). */
    CERTIFICATE_NO_KEY_FOR_GROUP,
    /** The initiator's public key fails the checks of RFC 7425 §4.6.2. */
    PUBLIC_KEY_REJECTED,
    /** The HMAC negotiation option is empty or its tag length is outside 4..32 (RFC 7425 §4.6.4). */
    HMAC_NEGOTIATION_INVALID,
    /** The session sequence number negotiation option is empty (RFC 7425 §4.6.4). */
    SSEQ_NEGOTIATION_INVALID,
    /** The initiator requires a protection this server cannot send (RFC 7425 §4.6.4). */
    NEGOTIATION_FAILED,
    /** The keying work failed unexpectedly; the handshake is dropped and the error logged. */
    INTERNAL_ERROR;

    /** The metric label and log event name: {@code keying_} and the constant in lower case. */
    public String label() {
        return "keying_" + name().toLowerCase(Locale.ROOT);
    }
}
