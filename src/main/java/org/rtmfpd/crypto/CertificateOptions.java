package org.rtmfpd.crypto;

/** Option types of certificates, endpoint discriminators and keying components (RFC 7425 §4.3–§4.6). */
public final class CertificateOptions {
    /** Certificate/EPD: required hostname (RFC 7425 §4.3.1, §4.4.1). */
    public static final int HOSTNAME = 0x00;
    /** Certificate: accepts ancillary data; EPD: ancillary data, the URL (RFC 7425 §4.3.2, §4.4.2). */
    public static final int ANCILLARY_DATA = 0x0a;
    /** Certificate and keying components: extra randomness (RFC 7425 §4.3.3, §4.6.1). */
    public static final int EXTRA_RANDOMNESS = 0x0e;
    /** EPD: the 32-byte fingerprint of the wanted endpoint (RFC 7425 §4.4.2.3). */
    public static final int FINGERPRINT = 0x0f;
    /** Certificate: a supported ephemeral Diffie-Hellman group (RFC 7425 §4.3.3.3). */
    public static final int SUPPORTED_GROUP = 0x15;
    /** Certificate: a static Diffie-Hellman public key, {@code VLU group | key} (RFC 7425 §4.3.3.5). */
    public static final int STATIC_DH_PUBLIC_KEY = 0x1d;
    /** Keying component: ephemeral Diffie-Hellman public key, {@code VLU group | key} (RFC 7425 §4.6.1). */
    public static final int EPHEMERAL_DH_PUBLIC_KEY = 0x0d;
    /** Keying component: select the group of the sender's static key (RFC 7425 §4.6.1). */
    public static final int DH_GROUP_SELECT = 0x1d;
    /** Keying component: HMAC negotiation, {@code flags | VLU length} (RFC 7425 §4.6.4). */
    public static final int HMAC_NEGOTIATION = 0x1a;
    /** Keying component: session sequence number negotiation, {@code flags} (RFC 7425 §4.6.4). */
    public static final int SSEQ_NEGOTIATION = 0x1e;

    /** The length of a SHA-256 fingerprint (RFC 7425 §4.3.2). */
    public static final int FINGERPRINT_LENGTH = 32;
    /** The signature byte everyone sends and nobody checks in IIKeying and RIKeying (RFC 7425 §4.3.5). */
    public static final byte SIGNATURE = 0x58;

    private CertificateOptions() {
    }
}
