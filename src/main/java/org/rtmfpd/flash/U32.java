package org.rtmfpd.flash;

/** Checks that a long holds an unsigned 32-bit value, the width of most Flash-profile fields. */
final class U32 {
    static final long MAX = 0xffff_ffffL;

    private U32() {
    }

    static long check(long value, String what) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException(what + " must fit 32 unsigned bits: " + value);
        }
        return value;
    }
}
