package org.rtmfpd.rendezvous;

import java.util.Arrays;

/** Shared checks and hex conversion for the 32-byte identifiers (peer IDs and group IDs). */
final class Id32 {
    static final int LENGTH = 32;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Id32() {
    }

    static byte[] copyOf(byte[] bytes, String what) {
        if (bytes == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException(what + " must be " + LENGTH + " bytes, got " + bytes.length);
        }
        return bytes.clone();
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

    static String toHex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0x0f];
            out[2 * i + 1] = HEX[bytes[i] & 0x0f];
        }
        return new String(out);
    }

    static int hash(byte[] bytes) {
        // The bytes are SHA-256 outputs, so any four of them are already well mixed.
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
