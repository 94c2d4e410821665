package org.rtmfpd.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleReportTest {
    @Test
    void theLagAndTheOfferedRateStandBesideTheLatencyFromTheSchedule() {
        long[] now = {0};
        Phase phase = new Phase("connect", 2, () -> now[0]);
        phase.schedule(0, 0);
        phase.start(0);
        now[0] = 3_000_000; // the second was due at 1 ms and handed over at 3 ms; its loop started it at 4 ms
        phase.schedule(1, 1_000_000);
        now[0] = 4_000_000;
        phase.start(1);
        now[0] = 5_000_000;
        phase.succeed(0);
        phase.succeed(1);
        String line = ScheduleReport.schedule(phase, 4_000_000, 1000);
        assertEquals("latency from the schedule p50 4.00 / p99 5.00 / max 5.00 ms; the bench's lag p50 0.00 / p99 3.00 / "
                + "max 3.00 ms (in its event loops' queues: p99 1.00 ms); offered 500/s (asked 1000/s)", line);
    }

    @Test
    void cpuPerOperationSplitsTheLoopsFromTheRest() {
        assertEquals("bench CPU 50.0 µs/op (kernel 30 %): event loops 40.0, driving thread 2.5, the rest 7.5 (JIT, GC); at "
                + "that cost one core offers 20000/s", ScheduleReport.cpu(100_000_000, 30_000_000, 80_000_000, 5_000_000, 2000));
        assertTrue(ScheduleReport.cpu(1, 0, 1, 0, 0).contains("no operation succeeded"));
    }

    @Test
    void theDrivingThreadSleepsUntilTheNextDueOperationWithinItsBounds() {
        assertEquals(Bench.MIN_PARK_NANOS, Bench.parkNanos(10, 100, false, 50_000), "due soon: a batch later");
        assertEquals(Bench.MIN_PARK_NANOS, Bench.parkNanos(10, 100, false, -5_000), "overdue");
        assertEquals(600_000, Bench.parkNanos(10, 100, false, 600_000));
        assertEquals(Bench.MAX_PARK_NANOS, Bench.parkNanos(10, 100, false, 80_000_000), "a slow schedule");
        assertEquals(Bench.MAX_PARK_NANOS, Bench.parkNanos(10, 100, true, 0), "held at --max-pending");
        assertEquals(Bench.MAX_PARK_NANOS, Bench.parkNanos(100, 100, false, 0), "all issued");
    }
}
