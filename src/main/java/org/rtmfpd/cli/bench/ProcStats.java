package org.rtmfpd.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a local process's CPU time and resident memory from Linux's {@code /proc}: {@code utime + stime}
 * of {@code /proc/PID/stat} (fields 14 and 15, in clock ticks, every thread of the process included) and
 * {@code VmRSS} of {@code /proc/PID/status}.
 */
public final class ProcStats {
    /** USER_HZ of every Linux architecture rtmfpd runs on ({@code getconf CLK_TCK}). */
    public static final long DEFAULT_TICKS_PER_SECOND = 100;

    private final long pid;
    private final long ticksPerSecond;

    public ProcStats(long pid, long ticksPerSecond) {
        this.pid = pid;
        this.ticksPerSecond = ticksPerSecond;
    }

    /** One reading: CPU time used so far (user and system), the system part of it, and resident memory now. */
    public record Sample(long cpuNanos, long systemNanos, long rssBytes) {
    }

    /**
     * The readings of several processes taken together: CPU and system time summed, resident memory the
     * first one's (the server's; the others' memory is not a per-session cost of it). Null for none.
     */
    public static Sample sum(Sample... samples) {
        if (samples == null || samples.length == 0) {
            return null;
        }
        long cpu = 0;
        long system = 0;
        for (Sample s : samples) {
            cpu += s.cpuNanos();
            system += s.systemNanos();
        }
        return new Sample(cpu, system, samples[0].rssBytes());
    }

    public Sample read() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8);
        return new Sample(cpuTicks(stat) * 1_000_000_000L / ticksPerSecond, systemTicks(stat) * 1_000_000_000L / ticksPerSecond,
                rssKiB(status) * 1024);
    }

    public long pid() {
        return pid;
    }

    /**
     * {@code utime + stime} from the text of {@code /proc/PID/stat}. The command name (field 2) is in
     * parentheses and may itself hold spaces and parentheses, so fields are counted after the last ')'.
     */
    public static long cpuTicks(String stat) {
        String[] fields = fields(stat);
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    /** {@code stime} (field 15) alone: time in the kernel, sockets included. */
    public static long systemTicks(String stat) {
        return Long.parseLong(fields(stat)[15 - 3]);
    }

    private static String[] fields(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: no ')'");
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state), so field n is fields[n - 3]
        if (fields.length < 13) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + fields.length + " fields after the name");
        }
        return fields;
    }

    /** The process's threads ({@code Threads} of {@code /proc/PID/status}). */
    public long threads() throws IOException {
        return threads(Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8));
    }

    /** The process's open file descriptors: the entries of {@code /proc/PID/fd} (readable for one's own processes). */
    public long openFiles() throws IOException {
        try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return entries.count();
        }
    }

    /** {@code Threads} from the text of {@code /proc/PID/status}. */
    public static long threads(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring("Threads:".length()).trim());
            }
        }
        throw new IllegalArgumentException("no Threads line (not a /proc/PID/status text)");
    }

    /** {@code VmRSS} in KiB from the text of {@code /proc/PID/status}. */
    public static long rssKiB(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                if (parts.length > 1 && !parts[1].equalsIgnoreCase("kB")) {
                    throw new IllegalArgumentException("VmRSS in an unknown unit: " + line);
                }
                return value;
            }
        }
        throw new IllegalArgumentException("no VmRSS line (a kernel thread, or not a /proc/PID/status text)");
    }

    /** {@code getconf CLK_TCK}, or {@value #DEFAULT_TICKS_PER_SECOND} if it cannot be run. */
    public static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor() == 0) {
                long value = Long.parseLong(out);
                if (value > 0) {
                    return value;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_TICKS_PER_SECOND;
    }
}
