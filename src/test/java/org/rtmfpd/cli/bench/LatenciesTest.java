package org.rtmfpd.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LatenciesTest {
    @Test
    void nearestRankOfOneToHundred() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(50, Latencies.percentile(sorted, 50));
        assertEquals(99, Latencies.percentile(sorted, 99));
        assertEquals(100, Latencies.percentile(sorted, 100));
        assertEquals(1, Latencies.percentile(sorted, 0.5));
    }

    @Test
    void smallSamplesRoundTheRankUp() {
        long[] sorted = {10, 20, 30};
        assertEquals(20, Latencies.percentile(sorted, 50)); // rank ceil(1.5) = 2
        assertEquals(30, Latencies.percentile(sorted, 99)); // rank ceil(2.97) = 3
        assertEquals(10, Latencies.percentile(new long[] {10}, 99));
    }

    @Test
    void summarySortsACopy() {
        long[] samples = {5, 1, 4, 2, 3};
        Latencies.Summary s = Latencies.summarize(samples);
        assertEquals(new Latencies.Summary(5, 3, 5, 5), s);
        assertEquals(5, samples[0], "the samples are not reordered");
        assertEquals(Latencies.Summary.EMPTY, Latencies.summarize(new long[0]));
    }

    @Test
    void refusesNoSamplesAndBadPercentiles() {
        assertThrows(IllegalArgumentException.class, () -> Latencies.percentile(new long[0], 50));
        assertThrows(IllegalArgumentException.class, () -> Latencies.percentile(new long[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> Latencies.percentile(new long[] {1}, 101));
    }
}
