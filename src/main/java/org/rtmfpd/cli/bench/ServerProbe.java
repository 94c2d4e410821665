package org.rtmfpd.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What the bench reads of the server it loads: rtmfpd's metrics ({@code --metrics}), {@code jcmd PID GC.run}
 * before heap readings, and the process's CPU time, memory, threads and descriptors from {@code /proc}
 * ({@code --server-pid}). Each reading answers -1 (or null) when its source was not given or cannot be read.
 */
public final class ServerProbe {
    private final Long pid;
    private final URI metrics;
    private final boolean jcmdGc;
    private final ProcStats proc;
    private final Consumer<String> progress;

    /**
     * @param pid the server's process, or null
     * @param metrics rtmfpd's metrics URL, or null
     * @param jcmdGc whether to run {@code jcmd PID GC.run} before each heap reading (needs both)
     * @param progress where notes on readings that went wrong go
     */
    public ServerProbe(Long pid, URI metrics, boolean jcmdGc, Consumer<String> progress) {
        this.pid = pid;
        this.metrics = metrics;
        this.jcmdGc = jcmdGc;
        this.proc = pid != null ? new ProcStats(pid, ProcStats.ticksPerSecond()) : null;
        this.progress = progress;
    }

    public boolean hasProcess() {
        return proc != null;
    }

    public boolean hasMetrics() {
        return metrics != null;
    }

    /** Whether heap readings come after a full GC (jcmd, with a PID and metrics). */
    public boolean collectsBeforeHeap() {
        return jcmdGc && pid != null && metrics != null;
    }

    /** CPU time and resident memory now, or null without a PID or when /proc cannot be read. */
    public ProcStats.Sample cpu() {
        if (proc == null) {
            return null;
        }
        try {
            return proc.read();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Checks that /proc/PID can be read; throws what went wrong. */
    public void checkProcess() throws IOException {
        if (proc != null) {
            proc.read();
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
