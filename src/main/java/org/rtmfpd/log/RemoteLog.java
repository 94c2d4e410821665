package org.rtmfpd.log;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Writes INFO and WARN lines that a remote party caused (a connect rejected, say) through a
 * {@link LogLimiter} keyed by the party's IP address: a line past the budget is left out, and the
 * next line written for that address ends with how many were. Arguments that hold remote text must
 * already have gone through {@link LogSafe}.
 */
public final class RemoteLog {
    private final Logger log;
    private final LogLimiter limiter;
    private final Runnable onSuppressed;

    public RemoteLog(Logger log, LogLimiter limiter) {
        this(log, limiter, () -> {
        });
    }

    /** @param onSuppressed runs for each line left out (to count them, say) */
    public RemoteLog(Logger log, LogLimiter limiter, Runnable onSuppressed) {
        this.log = log;
        this.limiter = limiter;
        this.onSuppressed = onSuppressed;
    }

    /** An INFO line caused by {@code source}; false when it was left out (or INFO is off). */
    public boolean info(InetSocketAddress source, String format, Object... arguments) {
        return write(Level.INFO, source, format, arguments);
    }

    /** A WARN line caused by {@code source}; false when it was left out (or WARN is off). */
    public boolean warn(InetSocketAddress source, String format, Object... arguments) {
        return write(Level.WARN, source, format, arguments);
    }

    private boolean write(Level level, InetSocketAddress source, String format, Object[] arguments) {
        if (!log.isEnabledForLevel(level)) {
            return false;
        }
        OptionalLong left = limiter.acquire(source.getAddress());
        if (left.isEmpty()) {
            onSuppressed.run();
            return false;
        }
        if (left.getAsLong() == 0) {
            log.atLevel(level).log(format, arguments);
        } else {
            Object[] withSummary = Arrays.copyOf(arguments, arguments.length + 2);
            withSummary[arguments.length] = left.getAsLong();
            withSummary[arguments.length + 1] = LogLimiter.describe(source.getAddress());
            log.atLevel(level).log(format + " ({} earlier lines caused by {} suppressed)", withSummary);
        }
        return true;
    }
}
