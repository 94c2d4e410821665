package org.rtmfpd.session;

/** Monotonic milliseconds; the protocol core reads time only through this, so tests can drive it. */
@FunctionalInterface
public interface Clock {
    long nowMillis();

    static Clock system() {
        return () -> System.nanoTime() / 1_000_000L;
    }
}
