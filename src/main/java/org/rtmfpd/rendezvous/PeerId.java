package org.rtmfpd.rendezvous;

/**
 * A peer ID: the 32-byte SHA-256 fingerprint of a client's certificate (RFC 7425 §4.3), shown to
 * ActionScript as 64 lowercase hex digits ({@code NetConnection.nearID}). Immutable; equal by content.
 */
public final class PeerId {
    public static final int LENGTH = Id32.LENGTH;

    private final byte[] bytes;
    private final int hash;

    private PeerId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Id32.hash(bytes);
    }

    /** Copies {@code bytes}, which must be exactly 32 bytes long. */
    public static PeerId of(byte[] bytes) {
        return new PeerId(Id32.copyOf(bytes, "peer ID"));
    }

    /** Parses 64 hex digits (either case). */
    public static PeerId fromHex(CharSequence hex) {
        return new PeerId(Id32.fromHex(hex, "peer ID"));
    }

    /** A copy of the 32 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** 64 lowercase hex digits. */
    public String toHex() {
        return Id32.toHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Id32.same(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return toHex();
    }
}
