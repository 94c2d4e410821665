package org.rtmfpd.rendezvous;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte identifier (a peer ID or a group ID): immutable, equal by content within its own kind, shown as
 * 64 lowercase hex digits.
 */
abstract class Id32 {
    static final int LENGTH = 32;

    private final byte[] bytes;
    private final int hash;

    Id32(byte[] bytes) {
        this.bytes = bytes;
        this.hash = hash(bytes);
    }

    /** A copy of the 32 bytes. */
    public final byte[] bytes() {
        return bytes.clone();
    }

    /** 64 lowercase hex digits. */
    public final String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Arrays.equals(bytes, ((Id32) o).bytes);
    }

    @Override
    public final int hashCode() {
        return hash;
    }

    @Override
    public final String toString() {
        return toHex();
    }

    static byte[] copyOf(byte[] bytes, String what) {
        return checked(bytes, what).clone();
    }

    /** {@code bytes} itself, once checked to be 32 bytes. */
    static byte[] checked(byte[] bytes, String what) {
        if (bytes == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException(what + " must be " + LENGTH + " bytes, got " + bytes.length);
        }
        return bytes;
    }

    static byte[] fromHex(CharSequence hex, String what) {
        if (hex == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException(
                    what + " must be " + (LENGTH * 2) + " hex digits, got " + hex.length() + " characters");
        }
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0 || hex.charAt(2 * i) > 0x7f || hex.charAt(2 * i + 1) > 0x7f) {
                throw new IllegalArgumentException(what + " has a non-hex character near position " + (2 * i));
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    private static int hash(byte[] bytes) {
        // The bytes are SHA-256 outputs, so any four of them are already well mixed.
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }
}
