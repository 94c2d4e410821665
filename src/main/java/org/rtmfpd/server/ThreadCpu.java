package org.rtmfpd.server;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JVM's threads' CPU time (user and system), added up by role, with the nanosecond resolution of the
 * thread CPU clock ({@code CLOCK_THREAD_CPUTIME_ID} on Linux), for {@code rtmfpd_thread_cpu_seconds_total}.
 * A thread's role is its name without the trailing numbers that thread factories add ({@code rtmfpd-loop-1-1}
 * and {@code rtmfpd-keying} are {@code rtmfpd-loop} and {@code rtmfpd-keying}), so the workers of one pool
 * share a series. A thread that ends keeps its last reading in its role's total, so a series never goes
 * down; what it ran after the last reading is lost. Readings are synchronized: scrapes may overlap.
 */
public final class ThreadCpu {
    private final ThreadMXBean threads;
    /** The last reading of each live thread seen, by thread ID. */
    private final Map<Long, Seen> seen = new HashMap<>();
    /** The CPU time of threads that ended, by role. */
    private final Map<String, Long> ended = new HashMap<>();

    private record Seen(String role, long nanos) {
    }

    public ThreadCpu() {
        this(ManagementFactory.getThreadMXBean());
    }

    ThreadCpu(ThreadMXBean threads) {
        this.threads = threads;
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    /** Whether this JVM measures threads' CPU time; without it, {@link #byRole} is empty. */
    public boolean supported() {
        return threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
    }

    /** CPU time in nanoseconds by role, ended threads included, in the roles' order. */
    public synchronized Map<String, Long> byRole() {
        Map<String, Long> out = new TreeMap<>(ended);
        if (!supported()) {
            return out;
        }
        Map<Long, Seen> live = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue; // ended between the two calls
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos < 0) {
                continue;
            }
            String role = role(info.getThreadName());
            live.put(info.getThreadId(), new Seen(role, nanos));
            out.merge(role, nanos, Long::sum);
        }
        for (Map.Entry<Long, Seen> e : seen.entrySet()) {
            if (!live.containsKey(e.getKey())) {
                Seen gone = e.getValue();
                ended.merge(gone.role(), gone.nanos(), Long::sum);
                out.merge(gone.role(), gone.nanos(), Long::sum);
            }
        }
        seen.clear();
        seen.putAll(live);
        return out;
    }

    /** A thread's name without trailing {@code -N} or {@code N} numbers: {@code pool-3-thread-7} is {@code pool-3-thread}. */
    static String role(String name) {
        int end = name.length();
        while (end > 0) {
            int k = end;
            while (k > 0 && Character.isDigit(name.charAt(k - 1))) {
                k--;
            }
            if (k == end) {
                break;
            }
            end = k > 0 && (name.charAt(k - 1) == '-' || name.charAt(k - 1) == '#') ? k - 1 : k;
            if (end == k) {
                break;
            }
        }
        String role = name.substring(0, end).strip();
        return role.isEmpty() ? name : role;
    }
}
