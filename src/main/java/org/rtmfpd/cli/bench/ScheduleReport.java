package org.rtmfpd.cli.bench;

import java.util.Locale;

/**
 * The lines of a bench report that judge the bench itself: latency from each operation's time on the
 * schedule beside the bench's own lag, the rate it offered against the one asked for, and its CPU time per
 * operation, on its event loops and in all. A server is only to blame for what is left once the bench's
 * lag is known.
 */
final class ScheduleReport {
    private ScheduleReport() {
    }

    /**
     * {@code from schedule p50 / p99 / max ms; bench lag p50 / p99 / max ms (in the loops' queue p99 x ms);
     * offered N/s of R/s}.
     *
     * @param issuedNanos from the phase's start to the issue of its last operation, or -1 if not all were issued
     */
    static String schedule(Phase phase, long issuedNanos, double scheduleRate) {
        Latencies.Summary fromSchedule = Latencies.summarize(phase.latenciesFromSchedule());
        Latencies.Summary lag = Latencies.summarize(phase.lags(false));
        Latencies.Summary inLoop = Latencies.summarize(phase.lags(true));
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "latency from the schedule p50 %s / p99 %s / max %s ms; the bench's lag "
                        + "p50 %s / p99 %s / max %s ms (in its event loops' queues: p99 %s ms)",
                ms(fromSchedule.p50()), ms(fromSchedule.p99()), ms(fromSchedule.max()),
                ms(lag.p50()), ms(lag.p99()), ms(lag.max()), ms(inLoop.p99())));
        if (issuedNanos > 0) {
            b.append(String.format(Locale.ROOT, "; offered %.0f/s (asked %.0f/s)", phase.size() / (issuedNanos / 1e9), scheduleRate));
        }
        return b.toString();
    }

    /**
     * {@code bench CPU x µs/op (kernel k %): event loops y, driving thread z, the rest w (JIT, GC); one core
     * offers at most N/s}, from the process's CPU time (user and system) and its event loops' and driving
     * thread's thread clocks.
     */
    static String cpu(long processNanos, long systemNanos, long loopNanos, long driverNanos, int ok) {
        if (ok <= 0) {
            return "bench CPU: no operation succeeded";
        }
        double perOp = processNanos / 1e3 / ok;
        double loops = loopNanos / 1e3 / ok;
        double driver = driverNanos / 1e3 / ok;
        return String.format(Locale.ROOT, "bench CPU %.1f µs/op (kernel %.0f %%): event loops %.1f, driving thread %.1f, the "
                + "rest %.1f (JIT, GC); at that cost one core offers %.0f/s", perOp, processNanos > 0 ? 100.0 * systemNanos / processNanos : 0,
                loops, driver, Math.max(0, perOp - loops - driver), perOp > 0 ? 1e6 / perOp : 0);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, nanos < 10_000_000 ? "%.2f" : "%.0f", nanos / 1e6);
    }
}
