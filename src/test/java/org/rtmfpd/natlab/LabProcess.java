package org.rtmfpd.natlab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process in a lab namespace: lines written to its input, its output read line by line, its error
 * stream kept in a log file and its conversation in a transcript beside it. Waits are bounded; {@link #close} kills it.
 */
final class LabProcess implements AutoCloseable {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final String label;
    private final Process process;
    private final Writer input;
    private final Writer transcript;
    /** Lines received and not yet taken by a wait; its monitor guards it and wakes the waits. */
    private final List<String> lines = new ArrayList<>();
    private volatile boolean reading = true;

    private LabProcess(String label, Process process, Path transcript) throws IOException {
        this.label = label;
        this.transcript = Files.newBufferedWriter(transcript, StandardCharsets.UTF_8);
        this.process = process;
        this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::read, "lab-" + label);
        reader.setDaemon(true);
        reader.start();
    }

    static LabProcess start(String label, List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new LabProcess(label, p, log.resolveSibling(label + ".out"));
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
                synchronized (transcript) {
                    transcript.write(line + "\n");
                    transcript.flush();
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            reading = false;
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    synchronized void send(String line) {
        try {
            input.write(line + "\n");
            input.flush();
            synchronized (transcript) {
                transcript.write("> " + line + "\n");
                transcript.flush();
            }
        } catch (IOException e) {
            throw new LabException(label + " does not take input (" + e.getMessage() + "); see its log", e);
        }
    }

    /**
     * Takes the first line received, now or within {@code millis}, that {@code match} accepts; other lines
     * stay for other waits, which may run at once from other threads.
     */
    String await(Predicate<String> match, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lines) {
            while (true) {
                for (Iterator<String> i = lines.iterator(); i.hasNext(); ) {
                    String line = i.next();
                    if (match.test(line)) {
                        i.remove();
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reading)) {
                    throw new LabException(label + ": no expected line within " + millis + " ms"
                            + (process.isAlive() ? "" : " (it exited " + process.exitValue() + "; see its log)"));
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, POLL_NANOS))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LabException(label + ": interrupted");
                }
            }
        }
    }

    /** Waits at most {@code millis} for the process to exit; its exit code, and every line it printed. */
    Finished finish(long millis) {
        try {
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                close();
                throw new LabException(label + ": still running after " + millis + " ms; killed");
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            synchronized (lines) {
                while (reading && System.nanoTime() < deadline) {
                    lines.wait(POLL_NANOS / 1_000_000);
                }
                return new Finished(process.exitValue(), List.copyOf(lines));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException(label + ": interrupted");
        }
    }

    /** A finished process: its exit code and its output. */
    record Finished(int exitCode, List<String> lines) {
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
