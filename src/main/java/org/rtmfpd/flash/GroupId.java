package org.rtmfpd.flash;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Turns the 32 bytes that name a NetGroup (a SHA-256 digest of its groupspec, see
 * {@link GroupspecDigest}) into an immutable value that compares by content and prints as 64
 * lowercase hex digits. The server treats it as an opaque key.
 */
public final class GroupId {
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private GroupId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static GroupId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a group ID has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new GroupId(bytes.clone());
    }

    /** Parses 64 hex digits (either case). */
    public static GroupId fromHex(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a group ID has " + 2 * LENGTH + " hex digits: " + hex);
        }
        return new GroupId(HexFormat.of().parseHex(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The 64 lowercase hex digits. */
    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
