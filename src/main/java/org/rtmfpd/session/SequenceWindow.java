package org.rtmfpd.session;

/**
 * Decides whether a session sequence number (RFC 7425 §4.6.4) is new: duplicates and numbers more than
 * {@link #MAX_GAP} behind the highest seen are refused, as the reference implementation refuses them.
 */
final class SequenceWindow {
    static final int MAX_GAP = 32;

    private long highest = -1;
    private long seen;

    /** Records {@code n} and returns true if it had not been seen and is inside the window. */
    boolean accept(long n) {
        if (n < 0) {
            return false;
        }
        if (n > highest) {
            long shift = n - highest;
            seen = shift >= Long.SIZE ? 0 : seen << shift;
            seen |= 1;
            highest = n;
            return true;
        }
        long behind = highest - n;
        if (behind > MAX_GAP) {
            return false;
        }
        long bit = 1L << behind;
        if ((seen & bit) != 0) {
            return false;
        }
        seen |= bit;
        return true;
    }
}
