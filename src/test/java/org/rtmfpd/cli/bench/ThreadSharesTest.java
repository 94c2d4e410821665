package org.rtmfpd.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's CPU by thread: deltas, groups, and the idle rate taken off. */
class ThreadSharesTest {
    @Test
    void aRoleThatAppearedCountsFromZero() {
        assertEquals(Map.of("rtmfpd-loop", 5L, "rtmfpd-keying", 7L),
                ThreadShares.delta(Map.of("rtmfpd-loop", 10L), Map.of("rtmfpd-loop", 15L, "rtmfpd-keying", 7L)));
    }

    @Test
    void everyRoleButTheLoopAndTheKeyingIsOther() {
        assertEquals(Map.of("loop", 10L, "keying", 20L, "other", 5L, "all", 35L),
                ThreadShares.grouped(Map.of("rtmfpd-loop", 10L, "rtmfpd-keying", 20L, "rtmfpd-metrics", 2L, "C2 CompilerThread", 3L)));
    }

    @Test
    void netTakesTheIdleRateOverTheWindowOff() {
        // 2 ms of loop over 1 s idle; a 0.5 s window holds 1 ms of it: (11 - 1) ms / 1,000 ops = 10 µs
        String line = ThreadShares.describe(Map.of("rtmfpd-loop", 11_000_000L), 1_000,
                Map.of("rtmfpd-loop", 2_000_000L), 1_000_000_000L, 500_000_000L);
        assertEquals("loop 0.011000 s 11.00 µs/op (net 10.00); keying 0.000000 s 0.00 µs/op (net 0.00); "
                + "other 0.000000 s 0.00 µs/op (net 0.00); all 0.011000 s 11.00 µs/op (net 10.00)", line);
    }
}
