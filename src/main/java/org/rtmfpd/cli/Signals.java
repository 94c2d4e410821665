package org.rtmfpd.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns POSIX signals (TERM, INT, HUP) into callbacks, where the JVM allows handling them. */
final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    @SuppressWarnings("restriction")
    static void on(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> action.run());
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot handle SIG{} here: {}", name, e.getMessage());
        }
    }
}
