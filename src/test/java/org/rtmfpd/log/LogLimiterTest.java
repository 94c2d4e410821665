package org.rtmfpd.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LogLimiterTest {
    private long now = 1_000_000;
    private final LogLimiter limiter = new LogLimiter(() -> now);

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void fiveLinesPerSourceThenSilenceThenASummary() {
        InetAddress a = ip("192.0.2.1");
        for (int i = 0; i < LogLimiter.DEFAULT_LINES_PER_SOURCE; i++) {
            assertEquals(OptionalLong.of(0), limiter.acquire(a), "line " + i);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(OptionalLong.empty(), limiter.acquire(a));
        }
        now += LogLimiter.DEFAULT_WINDOW_MILLIS / LogLimiter.DEFAULT_LINES_PER_SOURCE - 1;
        assertEquals(OptionalLong.empty(), limiter.acquire(a), "not yet a whole line's worth of time");
        now += 1;
        assertEquals(OptionalLong.of(101), limiter.acquire(a), "the next line says how many were left out");
        assertEquals(OptionalLong.empty(), limiter.acquire(a));
        assertEquals(102, limiter.suppressedCount());
    }

    @Test
    void aQuietSourceGetsItsWholeBurstBackButNoMore() {
        InetAddress a = ip("192.0.2.1");
        for (int i = 0; i < 6; i++) {
            limiter.acquire(a);
        }
        now += 10 * LogLimiter.DEFAULT_WINDOW_MILLIS;
        assertEquals(OptionalLong.of(1), limiter.acquire(a));
        for (int i = 1; i < LogLimiter.DEFAULT_LINES_PER_SOURCE; i++) {
            assertEquals(OptionalLong.of(0), limiter.acquire(a));
        }
        assertEquals(OptionalLong.empty(), limiter.acquire(a));
    }

    @Test
    void sourcesHaveTheirOwnBuckets() {
        InetAddress a = ip("192.0.2.1");
        InetAddress b = ip("192.0.2.2");
        for (int i = 0; i < 10; i++) {
            limiter.acquire(a);
        }
        assertEquals(OptionalLong.of(0), limiter.acquire(b));
    }

    @Test
    void ipv6SourcesAreCountedBySlash64() {
        for (int i = 0; i < LogLimiter.DEFAULT_LINES_PER_SOURCE; i++) {
            assertTrue(limiter.acquire(ip("2001:db8:1:2::" + Integer.toHexString(i + 1))).isPresent());
        }
        assertEquals(OptionalLong.empty(), limiter.acquire(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        assertEquals(OptionalLong.of(0), limiter.acquire(ip("2001:db8:1:3::1")));
    }

    @Test
    void sourcesAreDescribedAsCounted() {
        assertEquals("192.0.2.1", LogLimiter.describe(ip("192.0.2.1")));
        assertEquals("2001:db8:1:2:0:0:0:0/64", LogLimiter.describe(ip("2001:db8:1:2:3:4:5:6")));
    }

    @Test
    void allSourcesTogetherShareOneBudget() {
        LogLimiter small = new LogLimiter(() -> now, 5, 3, 10_000, 100);
        int written = 0;
        for (int i = 0; i < 50; i++) {
            if (small.acquire(ip("198.51.100." + i)).isPresent()) {
                written++;
            }
        }
        assertEquals(3, written);
        assertEquals(47, small.suppressedCount());
        now += 10_000;
        assertEquals(OptionalLong.of(1), small.acquire(ip("198.51.100.49")),
                "a source refused by the total budget hears of it too");
    }

    @Test
    void memoryIsBoundedByTheLeastRecentlyUsedSource() {
        LogLimiter small = new LogLimiter(() -> now, 1, 1_000_000, 10_000, 100);
        InetAddress kept = ip("192.0.2.1");
        small.acquire(kept);
        small.acquire(kept); // suppressed
        for (int i = 0; i < 10_000; i++) {
            small.acquire(ip("10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff)));
            if (i % 50 == 0) {
                small.acquire(kept); // recently used: never the one forgotten
            }
            assertTrue(small.sourceCount() <= 100);
        }
        now += 10_000;
        assertEquals(OptionalLong.of(1 + 10_000 / 50), small.acquire(kept));
    }

    @Test
    void aClockThatGoesBackDoesNotMintLines() {
        InetAddress a = ip("192.0.2.1");
        for (int i = 0; i < LogLimiter.DEFAULT_LINES_PER_SOURCE; i++) {
            limiter.acquire(a);
        }
        now -= 1_000_000;
        assertEquals(OptionalLong.empty(), limiter.acquire(a));
        now += 2_000;
        assertEquals(OptionalLong.of(1), limiter.acquire(a));
    }
}
