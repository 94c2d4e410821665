package org.rtmfpd.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What the bench reads of the server it loads: rtmfpd's metrics ({@code --metrics}), {@code jcmd PID GC.run}
 * before heap readings, and the process's CPU time, memory, threads and descriptors from {@code /proc}
 * ({@code --server-pid}). Each reading answers -1 (or null) when its source was not given or cannot be read.
 * With several processes (a cluster's nodes, its Redis), CPU time is their sum and {@link #cpuEach} gives
 * each one's; memory, threads, descriptors and the heap are the first process's, the server {@code --server}
 * names.
 */
public final class ServerProbe {
    private final List<ServerProcess> processes;
    private final Long pid;
    private final URI metrics;
    private final boolean jcmdGc;
    private final List<ProcStats> procs;
    private final ProcStats proc;
    private final Consumer<String> progress;

    /**
     * @param pid the server's process, or null
     * @param metrics rtmfpd's metrics URL, or null
     * @param jcmdGc whether to run {@code jcmd PID GC.run} before each heap reading (needs both)
     * @param progress where notes on readings that went wrong go
     */
    public ServerProbe(Long pid, URI metrics, boolean jcmdGc, Consumer<String> progress) {
        this(pid != null ? List.of(new ServerProcess(pid, null)) : List.of(), metrics, jcmdGc, progress);
    }

    /**
     * @param processes the processes whose CPU time is the server's, the server itself first; may be empty
     * @param metrics rtmfpd's metrics URL, or null
     * @param jcmdGc whether to run {@code jcmd PID GC.run} on the first process before each heap reading
     * @param progress where notes on readings that went wrong go
     */
    public ServerProbe(List<ServerProcess> processes, URI metrics, boolean jcmdGc, Consumer<String> progress) {
        this.processes = List.copyOf(processes);
        this.pid = processes.isEmpty() ? null : processes.get(0).pid();
        this.metrics = metrics;
        this.jcmdGc = jcmdGc;
        long ticks = processes.isEmpty() ? ProcStats.DEFAULT_TICKS_PER_SECOND : ProcStats.ticksPerSecond();
        List<ProcStats> stats = new ArrayList<>();
        for (ServerProcess p : processes) {
            stats.add(new ProcStats(p.pid(), ticks));
        }
        this.procs = List.copyOf(stats);
        this.proc = procs.isEmpty() ? null : procs.get(0);
        this.progress = progress;
    }

    public boolean hasProcess() {
        return proc != null;
    }

    /** The processes whose CPU time is counted, the server first (empty without {@code --server-pid}). */
    public List<ServerProcess> processes() {
        return processes;
    }

    public boolean hasMetrics() {
        return metrics != null;
    }

    /** Whether heap readings come after a full GC (jcmd, with a PID and metrics). */
    public boolean collectsBeforeHeap() {
        return jcmdGc && pid != null && metrics != null;
    }

    /**
     * CPU time (summed over the processes) and the first one's resident memory now, or null without a PID or
     * when /proc cannot be read for any of them.
     */
    public ProcStats.Sample cpu() {
        return ProcStats.sum(cpuEach());
    }

    /** Each process's reading now, in the order given, or null without a PID or if one cannot be read. */
    public ProcStats.Sample[] cpuEach() {
        if (procs.isEmpty()) {
            return null;
        }
        ProcStats.Sample[] out = new ProcStats.Sample[procs.size()];
        try {
            for (int k = 0; k < out.length; k++) {
                out[k] = procs.get(k).read();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return out;
    }

    /** Checks that /proc/PID can be read for every process; throws what went wrong, naming the PID. */
    public void checkProcess() throws IOException {
        for (ProcStats p : procs) {
            try {
                p.read();
            } catch (IOException | RuntimeException e) {
                throw new IOException("/proc/" + p.pid() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Open file descriptors of the server, or -1. */
    public long openFiles() {
        try {
            return proc != null ? proc.openFiles() : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Threads of the server, or -1. */
    public long threads() {
        try {
            return proc != null ? proc.threads() : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** rtmfpd's heap in use ({@code jvm_memory_used_bytes{area="heap"}}), after {@code jcmd GC.run} if asked for; -1 without metrics. */
    public long heapBytes(String when) {
        if (metrics == null) {
            return -1;
        }
        if (collectsBeforeHeap()) {
            progress.accept("jcmd " + pid + " GC.run (" + when + ")");
            runJcmdGc();
        }
        double h = metric("jvm_memory_used_bytes{area=\"heap\"}");
        return h >= 0 ? (long) h : -1;
    }

    private void runJcmdGc() {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                progress.accept("jcmd GC.run took more than 60 s; heap figures include garbage");
            } else if (p.exitValue() != 0) {
                progress.accept("jcmd GC.run failed (exit " + p.exitValue() + "); heap figures include garbage");
            }
        } catch (IOException e) {
            progress.accept("cannot run jcmd (" + e.getMessage() + "); heap figures include garbage");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A series of rtmfpd's metrics, or -1 without metrics or when it cannot be read. */
    public double metric(String series) {
        String text = metricsText();
        return text == null ? -1 : PrometheusText.value(text, series).orElse(-1);
    }

    /** A counter of rtmfpd's metrics: 0 while it has no series yet, -1 without metrics or when unreadable. */
    public double counter(String series) {
        String text = metricsText();
        return text == null ? -1 : PrometheusText.value(text, series).orElse(0);
    }

    /** The server's drop and refusal counters, by kind and reason (empty without metrics). */
    public Map<String, Double> dropsAndRefusals() {
        Map<String, Double> out = new TreeMap<>();
        String text = metricsText();
        if (text != null) {
            PrometheusText.labelled(text, "rtmfpd_dropped_total").forEach((k, v) -> out.put("dropped " + k, v));
            PrometheusText.labelled(text, "rtmfpd_refused_total").forEach((k, v) -> out.put("refused " + k, v));
        }
        return out;
    }

    /**
     * rtmfpd's CPU time by thread role in nanoseconds ({@code rtmfpd_thread_cpu_seconds_total}), read by the
     * server from its threads' CPU clocks; empty without metrics or when the server does not export it.
     */
    public Map<String, Long> threadCpuNanos() {
        Map<String, Long> out = new TreeMap<>();
        String text = metricsText();
        if (text != null) {
            PrometheusText.labelled(text, "rtmfpd_thread_cpu_seconds_total")
                    .forEach((k, v) -> out.put(k.replaceFirst("^thread=\"(.*)\"$", "$1"), Math.round(v * 1e9)));
        }
        return out;
    }

    /** rtmfpd's metrics text, or null without metrics or when they cannot be read. */
    public String metricsText() {
        if (metrics == null) {
            return null;
        }
        try {
            HttpURLConnection http = (HttpURLConnection) metrics.toURL().openConnection();
            http.setConnectTimeout(5_000);
            http.setReadTimeout(10_000);
            try (InputStream in = http.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                http.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
