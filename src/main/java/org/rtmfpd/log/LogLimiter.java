package org.rtmfpd.log;

import org.rtmfpd.wire.SourceAddress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Decides whether a log line that a remote party caused may be written: a token bucket for each
 * source address ({@value #DEFAULT_LINES_PER_SOURCE} lines at once, refilled at that many lines per
 * {@value #DEFAULT_WINDOW_MILLIS} ms) and one for all sources together
 * ({@value #DEFAULT_LINES_TOTAL} lines per window), so that neither one party nor a crowd of them can
 * make the log grow faster than that. An IPv6 source is its /64, the block one host usually holds.
 *
 * <p>Lines left out are counted per source; the source's next line written reports how many. At most
 * {@value #DEFAULT_SOURCES} sources are remembered, the least recently seen forgotten first (a
 * forgotten source starts again with a full bucket; the total bucket still holds). Thread-safe; time
 * comes from the injected clock.
 */
public final class LogLimiter {
    public static final int DEFAULT_LINES_PER_SOURCE = 5;
    public static final int DEFAULT_LINES_TOTAL = 1000;
    public static final long DEFAULT_WINDOW_MILLIS = 10_000;
    public static final int DEFAULT_SOURCES = 4096;


    private final LongSupplier nowMillis;
    private final long windowMillis;
    private final int maxSources;
    private final Bucket total;
    private final int linesPerSource;
    private final Map<InetAddress, Bucket> sources;
    private long suppressed;

    /** A limiter with the defaults. */
    public LogLimiter(LongSupplier nowMillis) {
        this(nowMillis, DEFAULT_LINES_PER_SOURCE, DEFAULT_LINES_TOTAL, DEFAULT_WINDOW_MILLIS, DEFAULT_SOURCES);
    }

    /**
     * @param nowMillis      the clock
     * @param linesPerSource lines one source may cause per window (and at once)
     * @param linesTotal     lines all sources together may cause per window (and at once)
     * @param windowMillis   the window
     * @param maxSources     sources remembered
     */
    public LogLimiter(LongSupplier nowMillis, int linesPerSource, int linesTotal, long windowMillis, int maxSources) {
        if (linesPerSource < 1 || linesTotal < 1 || windowMillis < 1 || maxSources < 1) {
            throw new IllegalArgumentException("lines, window and sources must be positive");
        }
        this.nowMillis = nowMillis;
        this.windowMillis = windowMillis;
        this.maxSources = maxSources;
        this.linesPerSource = linesPerSource;
        this.total = new Bucket(linesTotal, windowMillis, nowMillis.getAsLong());
        this.sources = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                return size() > LogLimiter.this.maxSources;
            }
        };
    }

    /**
     * One line caused by {@code source}: empty when it must be left out, otherwise how many lines of
     * this source were left out since its last line written (0 mostly).
     */
    public synchronized OptionalLong acquire(InetAddress source) {
        long now = nowMillis.getAsLong();
        InetAddress key = keyOf(source);
        Bucket bucket = sources.get(key);
        if (bucket == null) {
            bucket = new Bucket(linesPerSource, windowMillis, now);
            sources.put(key, bucket);
        }
        bucket.refill(now);
        total.refill(now);
        if (!bucket.hasLine() || !total.hasLine()) {
            bucket.suppressed++;
            suppressed++;
            return OptionalLong.empty();
        }
        bucket.take();
        total.take();
        long before = bucket.suppressed;
        bucket.suppressed = 0;
        return OptionalLong.of(before);
    }

    /** Lines left out since this limiter was made. */
    public synchronized long suppressedCount() {
        return suppressed;
    }

    /** Sources remembered now (at most the limiter's {@code maxSources}). */
    public synchronized int sourceCount() {
        return sources.size();
    }

    /** The address as counted: itself for IPv4, its /64 for IPv6 ({@link SourceAddress}). */
    static InetAddress keyOf(InetAddress address) {
        return SourceAddress.of(address);
    }

    /** The source as counted, for a log line: {@code 192.0.2.1}, or {@code 2001:db8:1:2:0:0:0:0/64}. */
    public static String describe(InetAddress address) {
        InetAddress key = keyOf(address);
        return key instanceof Inet6Address ? key.getHostAddress() + "/64" : key.getHostAddress();
    }

    /**
     * Credit in line-milliseconds: a line costs {@code window} of it, and {@code lines} of it come
     * back every millisecond, up to {@code lines * window}. Integer arithmetic, no drift.
     */
    private static final class Bucket {
        private final long lines;
        private final long window;
        private long credit;
        private long at;
        long suppressed;

        Bucket(long lines, long window, long now) {
            this.lines = lines;
            this.window = window;
            this.credit = lines * window;
            this.at = now;
        }

        void refill(long now) {
            long elapsed = now - at;
            at = now;
            if (elapsed <= 0) {
                return;
            }
            long full = lines * window;
            credit = elapsed >= window ? full : Math.min(full, credit + elapsed * lines);
        }

        boolean hasLine() {
            return credit >= window;
        }

        void take() {
            credit -= window;
        }
    }
}
