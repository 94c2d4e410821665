package org.rtmfpd.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rtmfpd.cli.bench.SoakReport.Counts;
import org.rtmfpd.cli.bench.SoakReport.Judged;
import org.rtmfpd.cli.bench.SoakReport.Kind;
import org.rtmfpd.cli.bench.SoakReport.Minute;
import org.rtmfpd.cli.bench.SoakReport.Tolerance;

class SoakReportTest {
    private static final long MIB = 1L << 20;

    private static Minute minute(int n, long heap, long fds, long threads, Counts connects) {
        Map<Kind, Counts> counts = new EnumMap<>(Kind.class);
        counts.put(Kind.CONNECT, connects);
        counts.put(Kind.CLOSE, new Counts(9000, 0, 0));
        return new Minute(n, 60.0 * n + 16, counts, 2000, 2010, heap, 300 * MIB, fds, threads, 1_500_000, 12_250_000, 41.4, 60.6);
    }

    @Test
    void aLineHasTheCountsByKindAndTheReadings() {
        String line = SoakReport.line(minute(3, 20 * MIB + MIB / 2, 19, 26, new Counts(9001, 2, 17)));
        assertEquals("   3     196   2000   2010           9001/2/17            9000/0/0               0/0/0               0/0/0"
                + "               0/0/0               0/0/0     20.5    300.0    19    26      1.5     12.3     41     61", line);
        assertEquals(SoakReport.header().length(), line.length(), "the header lines up with the columns");
    }

    @Test
    void unknownReadingsPrintAsDashes() {
        Minute m = new Minute(0, 5, Map.of(), 10, -1, -1, -1, -1, -1, -1, -1, -1, -1);
        assertTrue(SoakReport.line(m).endsWith("       -        -     -     -        -        -      -      -"), SoakReport.line(m));
    }

    @Test
    void growthWithinTheToleranceIsFlatAndBeyondItIsNot() {
        Tolerance t = Tolerance.DEFAULT; // 8 MiB, 10 fds, 4 threads, or 10 %
        Minute first = minute(1, 20 * MIB, 19, 26, Counts.NONE);
        List<Judged> same = SoakReport.judge(first, minute(60, 28 * MIB, 29, 30, Counts.NONE), t);
        assertTrue(SoakReport.allFlat(same), same.toString());
        List<Judged> grew = SoakReport.judge(first, minute(60, 28 * MIB + 1, 30, 31, Counts.NONE), t);
        assertEquals(List.of(false, false, false), grew.stream().map(Judged::flat).toList());
        assertFalse(SoakReport.allFlat(grew));
    }

    @Test
    void theShareWinsOverTheAbsoluteAmountForLargeValues() {
        Minute first = minute(1, 200 * MIB, 1000, 100, Counts.NONE);
        List<Judged> j = SoakReport.judge(first, minute(2, 220 * MIB, 1100, 110, Counts.NONE), Tolerance.DEFAULT);
        assertTrue(SoakReport.allFlat(j), j.toString());
        assertEquals(20 * MIB, j.get(0).allowed());
        assertFalse(SoakReport.allFlat(SoakReport.judge(first, minute(2, 220 * MIB + 1, 1000, 100, Counts.NONE),
                Tolerance.DEFAULT)));
    }

    @Test
    void aFallIsFlatAndAMissingReadingIsNot() {
        Minute first = minute(1, 40 * MIB, 50, 30, Counts.NONE);
        assertTrue(SoakReport.allFlat(SoakReport.judge(first, minute(2, 10 * MIB, 20, 20, Counts.NONE), Tolerance.DEFAULT)));
        List<Judged> unknown = SoakReport.judge(first, minute(2, -1, 50, 30, Counts.NONE), Tolerance.DEFAULT);
        assertNull(unknown.get(0).flat());
        assertFalse(SoakReport.allFlat(unknown));
    }

    @Test
    void summaryComparesTheFirstAndLastChurnMinutesAndCountsOnlyFailuresNotInjected() {
        List<Minute> minutes = List.of(
                minute(0, 5 * MIB, 19, 26, new Counts(2000, 1, 0)),
                minute(1, 20 * MIB, 19, 26, new Counts(9000, 0, 40)),
                minute(2, 21 * MIB, 19, 27, new Counts(9000, 0, 35)));
        assertEquals(1, SoakReport.failed(minutes));
        assertEquals(new Counts(20000, 1, 75), SoakReport.total(minutes, Kind.CONNECT));
        String s = SoakReport.summary(minutes, Map.of("connect: timeout", 1L), Map.of("connect: timeout", 75L), 1234,
                Tolerance.DEFAULT);
        assertTrue(s.contains("  connect       20000 ok        1 failed       75 injected failures"), s);
        assertTrue(s.contains("server readings, minute 1 against minute 2"), s);
        assertTrue(s.contains("heap after GC         20.0 MiB ->     21.0 MiB  (+1.0 MiB, allowed +8.0 MiB): flat"), s);
        assertTrue(s.contains("threads                     26 ->           27  (+1, allowed +4): flat"), s);
        assertTrue(s.contains("datagrams dropped on purpose by lossy clients: 1234"), s);
        assertTrue(s.contains("verdict: 1 operation(s) failed that were not injected; heap, descriptors and threads flat"), s);
    }

    @Test
    void summaryWithoutAChurnMinuteJudgesNothing() {
        String s = SoakReport.summary(List.of(minute(0, 5 * MIB, 19, 26, new Counts(10, 0, 0))), Map.of(), Map.of(), 0,
                Tolerance.DEFAULT);
        assertTrue(s.contains("no full minute of churn"), s);
        assertTrue(s.endsWith("verdict: no operation failed that was not injected\n"), s);
    }
}
