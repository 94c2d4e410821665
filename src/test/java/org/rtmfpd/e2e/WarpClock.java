package org.rtmfpd.e2e;

import org.rtmfpd.session.Clock;

/**
 * Milliseconds that pass {@code factor} times as fast as real time, for end-to-end tests whose clients
 * and server all read it: every protocol timer keeps its RFC value in this time, and the test waits a
 * {@code factor}-th of it. Loopback round trips and the 100 ms ticks grow by the factor in this time,
 * so keep it small.
 */
record WarpClock(long factor, long startNanos) implements Clock {
    static final WarpClock REAL_TIME = new WarpClock(1, 0);

    static WarpClock times(long factor) {
        return new WarpClock(factor, System.nanoTime());
    }

    @Override
    public long nowMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000 * factor;
    }
}
