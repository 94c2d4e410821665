package org.rtmfpd.rendezvous;

/**
 * A NetGroup ID: the 32 bytes a client sends in its group join (SHA-256 of the groupspec, hashed twice
 * for v2 groupspecs). rtmfpd only uses it as an opaque key. Immutable; equal by content.
 */
public final class GroupId extends Id32 {
    public static final int LENGTH = Id32.LENGTH;

    private GroupId(byte[] bytes) {
        super(bytes);
    }

    /** Copies {@code bytes}, which must be exactly 32 bytes long. */
    public static GroupId of(byte[] bytes) {
        return new GroupId(Id32.copyOf(bytes, "group ID"));
    }

    /** Parses 64 hex digits (either case). */
    public static GroupId fromHex(CharSequence hex) {
        return new GroupId(Id32.fromHex(hex, "group ID"));
    }
}
