package org.rtmfpd.cli.bench;

import java.util.Arrays;

/** Percentiles of latency samples, by nearest rank (the smallest sample with at least p % of the samples at or below it). */
public final class Latencies {
    private Latencies() {
    }

    /** What a report prints of one kind of operation. Values are in the samples' unit; all 0 when empty. */
    public record Summary(int count, long p50, long p99, long max) {
        public static final Summary EMPTY = new Summary(0, 0, 0, 0);
    }

    /** The nearest-rank {@code p}-th percentile (0 &lt; p ≤ 100) of {@code sorted}, which must be in ascending order. */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile " + p + " is outside (0, 100]");
        }
        long rank = (long) Math.ceil(p * sorted.length / 100.0);
        return sorted[(int) Math.max(1, Math.min(sorted.length, rank)) - 1];
    }

    /** Count, p50, p99 and max of {@code samples} (not changed). */
    public static Summary summarize(long[] samples) {
        if (samples.length == 0) {
            return Summary.EMPTY;
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new Summary(sorted.length, percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1]);
    }
}
