package org.rtmfpd.session;

/**
 * Bytes a session allows its flows to hold together (out-of-order fragments, partial messages, queued
 * messages): each flow takes from the session's budget what it keeps and gives it back when it lets go,
 * so that one session holds at most the limit whatever its flows do. {@link Session} extends it, so
 * that its sending flows' allowance costs no object of its own.
 */
class ByteBudget {
    private final int limit;
    private int used;

    ByteBudget(int limit) {
        this.limit = limit;
    }

    /** Takes {@code bytes} if that stays within the limit; returns whether it did. */
    boolean take(int bytes) {
        if (bytes > limit - used) {
            return false;
        }
        used += bytes;
        return true;
    }

    void give(int bytes) {
        used -= bytes;
    }

    int available() {
        return limit - used;
    }

    int used() {
        return used;
    }
}
