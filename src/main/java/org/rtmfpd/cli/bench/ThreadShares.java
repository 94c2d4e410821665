package org.rtmfpd.cli.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's CPU time by thread role over a phase, as the report prints it: the protocol loop, the keying
 * workers, the rest, and all, each in microseconds per operation, gross and less the idle rate of the hold.
 */
final class ThreadShares {
    /** The roles named on their own; every other role is in "other". */
    static final String LOOP = "rtmfpd-loop";
    static final String KEYING = "rtmfpd-keying";

    private ThreadShares() {
    }

    /** What each role used between two readings; roles absent before count from 0. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((role, nanos) -> out.put(role, nanos - before.getOrDefault(role, 0L)));
        return out;
    }

    /** Loop, keying, other and all: nanoseconds. */
    static Map<String, Long> grouped(Map<String, Long> byRole) {
        long loop = byRole.getOrDefault(LOOP, 0L);
        long keying = byRole.getOrDefault(KEYING, 0L);
        long all = 0;
        for (long v : byRole.values()) {
            all += v;
        }
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("loop", loop);
        out.put("keying", keying);
        out.put("other", all - loop - keying);
        out.put("all", all);
        return out;
    }

    /**
     * {@code loop 0.101234 s 5.06 µs/op (net 4.91); keying ...}: each group's time, per operation, and net of
     * {@code idle} (used over {@code idleWallNanos}) scaled to {@code windowNanos}.
     */
    static String describe(Map<String, Long> used, int ok, Map<String, Long> idle, long idleWallNanos, long windowNanos) {
        Map<String, Long> g = grouped(used);
        Map<String, Long> i = idle != null ? grouped(idle) : null;
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : g.entrySet()) {
            b.append(b.length() > 0 ? "; " : "").append(e.getKey())
                    .append(String.format(Locale.ROOT, " %.6f s", e.getValue() / 1e9));
            if (ok > 0) {
                b.append(String.format(Locale.ROOT, " %.2f µs/op", e.getValue() / 1e3 / ok));
                if (i != null && idleWallNanos > 0) {
                    double idleNanos = i.get(e.getKey()) * (double) windowNanos / idleWallNanos;
                    b.append(String.format(Locale.ROOT, " (net %.2f)", Math.max(0, e.getValue() - idleNanos) / 1e3 / ok));
                }
            }
        }
        return b.toString();
    }
}
