package org.rtmfpd.rendezvous;

/**
 * A peer ID: the 32-byte SHA-256 fingerprint of a client's certificate (RFC 7425 §4.3), shown to
 * ActionScript as 64 lowercase hex digits ({@code NetConnection.nearID}). Immutable; equal by content.
 */
public final class PeerId extends Id32 {
    public static final int LENGTH = Id32.LENGTH;

    private PeerId(byte[] bytes) {
        super(bytes);
    }

    /** Copies {@code bytes}, which must be exactly 32 bytes long. */
    public static PeerId of(byte[] bytes) {
        return new PeerId(Id32.copyOf(bytes, "peer ID"));
    }

    /**
     * Uses {@code bytes} as they are, without a copy, for an array its owner never changes (a session's
     * far fingerprint): one array serves both, 48 bytes less per session. Exactly 32 bytes long.
     */
    public static PeerId sharing(byte[] bytes) {
        return new PeerId(Id32.checked(bytes, "peer ID"));
    }

    /** Parses 64 hex digits (either case). */
    public static PeerId fromHex(CharSequence hex) {
        return new PeerId(Id32.fromHex(hex, "peer ID"));
    }
}
