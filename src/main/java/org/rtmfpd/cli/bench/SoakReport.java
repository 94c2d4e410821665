package org.rtmfpd.cli.bench;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code rtmfpd bench --soak} prints: a table with one line a minute, then a summary that compares
 * the first and the last minute's server readings and judges whether they stayed flat. Pure functions of
 * the figures, so that the wording and the verdict can be tested without a server.
 */
public final class SoakReport {
    /** The soak's operations. {@link #LOST} is a held session that the server ended without being asked. */
    public enum Kind {
        CONNECT("connect"), CLOSE("close"), INTRODUCTION("intro"), JOIN("join"), LEAVE("leave"), LOST("lost");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Operations of one kind: succeeded, failed, and failed on a lossy client (injected, counted apart). */
    public record Counts(long ok, long failed, long injected) {
        public static final Counts NONE = new Counts(0, 0, 0);

        public Counts plus(Counts o) {
            return new Counts(ok + o.ok, failed + o.failed, injected + o.injected);
        }

        public Counts minus(Counts o) {
            return new Counts(ok - o.ok, failed - o.failed, injected - o.injected);
        }
    }

    /**
     * One line of the table: minute 0 is the ramp up to the population, the others a minute of churn each.
     * Counts are for that minute alone. Server readings are -1 when they could not be read; latencies are
     * in nanoseconds, -1 with no sample; CPU in % of one core over the minute, -1 if unknown.
     */
    public record Minute(int minute, double elapsedSeconds, Map<Kind, Counts> counts, long held, long serverSessions,
                         long heapBytes, long rssBytes, long openFiles, long threads, long connectP50Nanos,
                         long connectP99Nanos, double serverCpuPercent, double benchCpuPercent) {
        public Counts count(Kind kind) {
            return counts.getOrDefault(kind, Counts.NONE);
        }

        /** Failed operations that were not injected, every kind together. */
        public long failed() {
            return counts.values().stream().mapToLong(Counts::failed).sum();
        }

        public long ok() {
            return counts.values().stream().mapToLong(Counts::ok).sum();
        }

        public long injected() {
            return counts.values().stream().mapToLong(Counts::injected).sum();
        }
    }

    /**
     * How much a reading may grow from the first minute to the last and still count as flat: the larger of
     * an absolute amount and a share of the first minute's value. A reading that falls is flat.
     */
    public record Tolerance(long heapBytes, long openFiles, long threads, double share) {
        /** 8 MiB of heap, 10 descriptors, 4 threads, or 10 % of the first minute's value, whichever is larger. */
        public static final Tolerance DEFAULT = new Tolerance(8L << 20, 10, 4, 0.10);

        long allowed(long absolute, long first) {
            return Math.max(absolute, (long) Math.ceil(share * Math.max(0, first)));
        }

        public String describe() {
            return String.format(Locale.ROOT, "growth of at most %d MiB of heap, %d descriptors and %d threads, or %.0f %% "
                    + "of the first minute's value when that is larger", heapBytes >> 20, openFiles, threads, share * 100);
        }
    }

    /** One reading judged: flat when it grew by no more than allowed; unknown when either side is missing. */
    public record Judged(String name, long first, long last, long allowed, Boolean flat) {
    }

    private SoakReport() {
    }

    /** The first and last minute's heap, descriptors and threads, each judged against {@code t}. */
    public static List<Judged> judge(Minute first, Minute last, Tolerance t) {
        return List.of(
                judged("heap after GC", first.heapBytes(), last.heapBytes(), t.allowed(t.heapBytes(), first.heapBytes())),
                judged("open descriptors", first.openFiles(), last.openFiles(), t.allowed(t.openFiles(), first.openFiles())),
                judged("threads", first.threads(), last.threads(), t.allowed(t.threads(), first.threads())));
    }

    private static Judged judged(String name, long first, long last, long allowed) {
        Boolean flat = first < 0 || last < 0 ? null : last - first <= allowed;
        return new Judged(name, first, last, allowed, flat);
    }

    /** Whether every reading was judged flat (an unknown one is not). */
    public static boolean allFlat(List<Judged> judged) {
        return judged.stream().allMatch(j -> Boolean.TRUE.equals(j.flat()));
    }

    /** Failed operations that were not injected, over the whole run. */
    public static long failed(List<Minute> minutes) {
        return minutes.stream().mapToLong(Minute::failed).sum();
    }

    /** Counts of one kind over the whole run. */
    public static Counts total(List<Minute> minutes, Kind kind) {
        Counts c = Counts.NONE;
        for (Minute m : minutes) {
            c = c.plus(m.count(kind));
        }
        return c;
    }

    public static String header() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%4s %7s %6s %6s", "min", "at s", "held", "srv"));
        for (Kind k : Kind.values()) {
            s.append(String.format(Locale.ROOT, " %19s", k.label() + " ok/fail/inj"));
        }
        s.append(String.format(Locale.ROOT, " %8s %8s %5s %5s %8s %8s %6s %6s", "heap MiB", "RSS MiB", "fds", "thr", "p50 ms",
                "p99 ms", "srv %", "bench%"));
        return s.toString();
    }

    public static String line(Minute m) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%4d %7.0f %6d %6s", m.minute(), m.elapsedSeconds(), m.held(),
                m.serverSessions() >= 0 ? Long.toString(m.serverSessions()) : "-"));
        for (Kind k : Kind.values()) {
            Counts c = m.count(k);
            s.append(String.format(Locale.ROOT, " %19s", c.ok() + "/" + c.failed() + "/" + c.injected()));
        }
        s.append(String.format(Locale.ROOT, " %8s %8s %5s %5s %8s %8s %6s %6s", mib(m.heapBytes()), mib(m.rssBytes()), count(m.openFiles()),
                count(m.threads()), millis(m.connectP50Nanos()), millis(m.connectP99Nanos()), percent(m.serverCpuPercent()),
                percent(m.benchCpuPercent())));
        return s.toString();
    }

    /**
     * The end of the report: totals by kind, the failures by reason, the first and last churn minute's
     * readings with the verdict, and whether any operation that was not injected failed.
     */
    public static String summary(List<Minute> minutes, Map<String, Long> failures, Map<String, Long> injected,
                                 long injectedDrops, Tolerance t) {
        StringBuilder s = new StringBuilder();
        s.append("\ntotals (minute 0, the ramp, included)\n");
        Map<Kind, Counts> totals = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            totals.put(k, total(minutes, k));
            Counts c = totals.get(k);
            s.append(String.format(Locale.ROOT, "  %-8s %10d ok %8d failed %8d injected failures%n", k.label(), c.ok(), c.failed(),
                    c.injected()));
        }
        s.append(String.format(Locale.ROOT, "  datagrams dropped on purpose by lossy clients: %d%n", injectedDrops));
        if (!failures.isEmpty()) {
            s.append("failures (not injected)\n");
            failures.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-60s %8d%n", k, v)));
        }
        if (!injected.isEmpty()) {
            s.append("injected failures (lossy clients)\n");
            injected.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-60s %8d%n", k, v)));
        }
        List<Minute> churn = minutes.stream().filter(m -> m.minute() > 0).toList();
        if (churn.isEmpty()) {
            s.append("no full minute of churn: nothing to judge\n");
        } else {
            Minute first = churn.get(0);
            Minute last = churn.get(churn.size() - 1);
            List<Judged> judged = judge(first, last, t);
            s.append(String.format(Locale.ROOT, "server readings, minute %d against minute %d (flat: %s)%n", first.minute(),
                    last.minute(), t.describe()));
            for (Judged j : judged) {
                s.append(String.format(Locale.ROOT, "  %-17s %12s -> %12s  (%s, allowed +%s): %s%n", j.name(), value(j.name(), j.first()),
                        value(j.name(), j.last()), signed(j.name(), j.first() >= 0 && j.last() >= 0 ? j.last() - j.first() : 0),
                        value(j.name(), j.allowed()), j.flat() == null ? "unknown" : j.flat() ? "flat" : "GREW"));
            }
            s.append(String.format(Locale.ROOT, "  RSS               %12s -> %12s  (not judged: the JVM keeps what its heap once took)%n",
                    mib(first.rssBytes()) + " MiB", mib(last.rssBytes()) + " MiB"));
        }
        long failed = failed(minutes);
        s.append(failed == 0 ? "verdict: no operation failed that was not injected"
                : "verdict: " + failed + " operation(s) failed that were not injected");
        if (!churn.isEmpty()) {
            s.append(allFlat(judge(churn.get(0), churn.get(churn.size() - 1), t))
                    ? "; heap, descriptors and threads flat" : "; NOT flat (see above)");
        }
        s.append('\n');
        return s.toString();
    }

    private static String value(String name, long v) {
        return name.startsWith("heap") ? mib(v) + " MiB" : Long.toString(v);
    }

    private static String signed(String name, long v) {
        return (v >= 0 ? "+" : "-") + value(name, Math.abs(v));
    }

    static String mib(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    private static String count(long v) {
        return v < 0 ? "-" : Long.toString(v);
    }

    private static String millis(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static String percent(double p) {
        return p < 0 ? "-" : String.format(Locale.ROOT, "%.0f", p);
    }
}
