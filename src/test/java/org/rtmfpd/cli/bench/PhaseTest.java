package org.rtmfpd.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PhaseTest {
    @Test
    void latencyFromTheScheduleCountsTheBenchsOwnLag() {
        long[] now = {1_000};
        Phase phase = new Phase("connect", 3, () -> now[0]);
        phase.schedule(0, 1_000); // on time
        phase.start(0);
        now[0] = 1_400;
        phase.schedule(1, 1_100); // the driving thread came 300 late, the loop 100 more
        now[0] = 1_500;
        phase.start(1);
        now[0] = 1_600;
        phase.start(2); // not scheduled (e.g. a founder's join): no lag, latency from its start
        now[0] = 2_000;
        assertTrue(phase.succeed(0));
        assertTrue(phase.succeed(1));
        assertTrue(phase.succeed(2));
        assertArrayEquals(new long[] {1_000, 500, 400}, phase.latencies());
        assertArrayEquals(new long[] {1_000, 900, 400}, phase.latenciesFromSchedule());
        assertArrayEquals(new long[] {0, 400}, phase.lags(false));
        assertArrayEquals(new long[] {0, 100}, phase.lags(true));
    }

    @Test
    void aFailedOperationHasNoLatencyAndNoLag() {
        long[] now = {5};
        Phase phase = new Phase("introduction", 2, () -> now[0]);
        phase.schedule(0, 5);
        phase.start(0);
        phase.schedule(1, 5);
        now[0] = 50;
        phase.start(1);
        assertTrue(phase.fail(0, "timeout"));
        assertTrue(phase.succeed(1));
        assertArrayEquals(new long[] {45}, phase.lags(false));
        assertArrayEquals(new long[] {45}, phase.latenciesFromSchedule());
    }

    @Test
    void eachOperationEndsOnce() {
        Phase phase = new Phase("connect", 4);
        phase.start(0);
        phase.start(1);
        phase.start(2);
        assertTrue(phase.succeed(0));
        assertFalse(phase.succeed(0));
        assertFalse(phase.fail(0, "late"), "a success is final");
        assertTrue(phase.fail(1, "timeout", "no RIKeying from /127.0.0.1:1935"));
        assertFalse(phase.succeed(1), "a failure is final");
        assertTrue(phase.fail(3, "no socket"), "an operation can fail before it starts");
        assertEquals(3, phase.ended());
        assertEquals(1, phase.pending());
        assertEquals(1, phase.succeeded());
        assertEquals(2, phase.failed());
        assertEquals(Map.of("timeout", 1L, "no socket", 1L), phase.failures());
        assertEquals(Map.of("timeout", "no RIKeying from /127.0.0.1:1935"), phase.failureExamples());
        assertEquals(1, phase.latencies().length);
    }

    @Test
    void expiryTakesOnlyWhatStartedBeforeTheCutoffAndIsStillOpen() throws InterruptedException {
        Phase phase = new Phase("introduction", 3);
        phase.start(0);
        phase.start(1);
        phase.succeed(1);
        Thread.sleep(2);
        long cutoff = System.nanoTime();
        phase.start(2);
        assertEquals(1, phase.expireStartedBefore(cutoff, i -> "stalled at " + i));
        assertEquals(Map.of("stalled at 0", 1L), phase.failures());
        assertEquals(1, phase.pending());
        assertEquals(1, phase.expire("cut off"));
        assertEquals(0, phase.pending());
    }

    @Test
    void completionsAreSortedOffsets() {
        Phase phase = new Phase("join", 2);
        long t0 = System.nanoTime();
        phase.start(0);
        phase.start(1);
        phase.succeed(1);
        phase.succeed(0);
        long[] done = phase.completions(t0);
        assertEquals(2, done.length);
        assertTrue(done[0] >= 0 && done[0] <= done[1]);
        assertArrayEquals(new long[0], new Phase("none", 1).completions(t0));
        assertTrue(phase.lastSuccessNanos() - t0 >= done[1]);
    }
}
