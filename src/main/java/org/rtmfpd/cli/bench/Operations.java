package org.rtmfpd.cli.bench;

/**
 * Where the {@link Fleet} reports how the operations it was asked for went, each named by a number the
 * caller chose: a {@link Phase} of the bench, or the soak's running tally. Called from the clients' event
 * loops; each operation ends once, and later calls for it return false.
 */
public interface Operations {
    /** Operation {@code op} starts now (called on the thread that will complete it). */
    void start(int op);

    /** Operation {@code op} succeeded now; false if it had already ended. */
    boolean succeed(int op);

    /**
     * Operation {@code op} failed for {@code reason}, a short repeatable category; {@code detail}, if not
     * null, may be kept as an example. False if it had already ended.
     */
    boolean fail(int op, String reason, String detail);
}
