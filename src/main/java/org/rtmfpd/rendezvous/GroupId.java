package org.rtmfpd.rendezvous;

/**
 * A NetGroup ID: the 32 bytes a client sends in its group join (SHA-256 of the groupspec, hashed twice
 * for v2 groupspecs). rtmfpd only uses it as an opaque key. Immutable; equal by content.
 */
public final class GroupId {
    public static final int LENGTH = Id32.LENGTH;

    private final byte[] bytes;
    private final int hash;

    private GroupId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Id32.hash(bytes);
    }

    /** Copies {@code bytes}, which must be exactly 32 bytes long. */
    public static GroupId of(byte[] bytes) {
        return new GroupId(Id32.copyOf(bytes, "group ID"));
    }

    /** Parses 64 hex digits (either case). */
    public static GroupId fromHex(CharSequence hex) {
        return new GroupId(Id32.fromHex(hex, "group ID"));
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
        return o instanceof GroupId other && Id32.same(bytes, other.bytes);
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
