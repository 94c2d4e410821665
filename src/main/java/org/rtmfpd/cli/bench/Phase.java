package org.rtmfpd.cli.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The operations of one bench phase (connects, joins, introductions), numbered from 0: when each started,
 * how it ended, how long it took, and why those that failed did. Each operation ends once: the first of
 * success, failure or expiry wins. Safe to use from the client threads and the driving thread.
 *
 * <p>An operation given a time on the phase's schedule ({@link #schedule}) also has a latency from that
 * time, and a lag: how late the bench started it. A bench that falls behind its schedule (its own pause,
 * or the ramp held back by {@code --max-pending}) thus still counts the wait in the latency from the
 * schedule (no coordinated omission), and its lag says how much of that was the bench's doing.
 */
public final class Phase implements Operations {
    private static final int IDLE = 0;
    private static final int STARTED = 1;
    private static final int OK = 2;
    private static final int FAILED = 3;

    private final String name;
    private final AtomicIntegerArray state;
    private final java.util.function.LongSupplier clock;
    private final long[] startNanos;
    private final long[] latencyNanos;
    /** When each operation was due by the schedule, and when the driving thread handed it to its client. */
    private final long[] dueNanos;
    private final long[] issuedNanos;
    private final boolean[] scheduled;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong lastSuccessNanos = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, String> examples = new ConcurrentHashMap<>();

    public Phase(String name, int size) {
        this(name, size, System::nanoTime);
    }

    /** A phase whose times come from {@code clock} ({@link System#nanoTime} values). */
    public Phase(String name, int size, java.util.function.LongSupplier clock) {
        this.name = name;
        this.clock = clock;
        this.dueNanos = new long[size];
        this.issuedNanos = new long[size];
        this.scheduled = new boolean[size];
        this.state = new AtomicIntegerArray(size);
        this.startNanos = new long[size];
        this.latencyNanos = new long[size];
    }

    public String name() {
        return name;
    }

    public int size() {
        return state.length();
    }

    /**
     * Operation {@code i} was due at {@code dueNanos} by the phase's schedule and is being handed to its
     * client now (call it on the driving thread, before {@link #start}).
     */
    public void schedule(int i, long dueNanos) {
        this.dueNanos[i] = dueNanos;
        issuedNanos[i] = clock.getAsLong();
        scheduled[i] = true;
    }

    /** Operation {@code i} starts now (call it on the thread that will complete it). */
    @Override
    public void start(int i) {
        startNanos[i] = clock.getAsLong();
        if (state.compareAndSet(i, IDLE, STARTED)) {
            started.incrementAndGet();
        }
    }

    /** Operation {@code i} succeeded now; false if it had already ended. */
    @Override
    public boolean succeed(int i) {
        long now = clock.getAsLong();
        latencyNanos[i] = now - startNanos[i];
        if (state.compareAndSet(i, STARTED, OK)) {
            lastSuccessNanos.accumulateAndGet(now, (a, b) -> a == 0 || b - a > 0 ? b : a);
            ok.incrementAndGet();
            return true;
        }
        return false;
    }

    /** {@link System#nanoTime} of the latest success, or 0 before the first. */
    public long lastSuccessNanos() {
        return lastSuccessNanos.get();
    }

    /** Operation {@code i} failed for {@code reason}; false if it had already ended. */
    public boolean fail(int i, String reason) {
        return fail(i, reason, null);
    }

    /**
     * Operation {@code i} failed for {@code reason} (a short, repeatable category); {@code detail}, if not
     * null, is kept as the example of the first failure for that reason.
     */
    @Override
    public boolean fail(int i, String reason, String detail) {
        if (detail != null) {
            examples.putIfAbsent(reason, detail);
        }
        int s = state.get(i);
        while (s == IDLE || s == STARTED) {
            if (state.compareAndSet(i, s, FAILED)) {
                if (s == IDLE) {
                    started.incrementAndGet();
                }
                failed.incrementAndGet();
                failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
                return true;
            }
            s = state.get(i);
        }
        return false;
    }

    /** Fails every operation that started and has not ended, for {@code reason}; returns how many. */
    public int expire(String reason) {
        int n = 0;
        for (int i = 0; i < state.length(); i++) {
            if (state.get(i) == STARTED && fail(i, reason)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Fails the operations that started before {@code nanoTime} and have not ended, each for the reason
     * {@code reason} gives for it; returns how many.
     */
    public int expireStartedBefore(long nanoTime, java.util.function.IntFunction<String> reason) {
        int n = 0;
        for (int i = 0; i < state.length(); i++) {
            if (state.get(i) == STARTED && startNanos[i] - nanoTime < 0 && fail(i, reason.apply(i))) {
                n++;
            }
        }
        return n;
    }

    /** Operations that ended, either way. */
    public int ended() {
        return ok.get() + failed.get();
    }

    public int started() {
        return started.get();
    }

    public int succeeded() {
        return ok.get();
    }

    public int failed() {
        return failed.get();
    }

    /** Started and not ended. */
    public int pending() {
        return started.get() - ok.get() - failed.get();
    }

    public boolean isOk(int i) {
        return state.get(i) == OK;
    }

    /** Latencies of the operations that succeeded, in nanoseconds. */
    public long[] latencies() {
        long[] out = new long[ok.get()];
        int n = 0;
        for (int i = 0; i < state.length() && n < out.length; i++) {
            if (state.get(i) == OK) {
                out[n++] = latencyNanos[i];
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /**
     * Latencies of the operations that succeeded, from the time the schedule gave each (from its start if
     * it had none), in nanoseconds.
     */
    public long[] latenciesFromSchedule() {
        long[] out = new long[ok.get()];
        int n = 0;
        for (int i = 0; i < state.length() && n < out.length; i++) {
            if (state.get(i) == OK) {
                out[n++] = latencyNanos[i] + (scheduled[i] ? Math.max(0, startNanos[i] - dueNanos[i]) : 0);
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /**
     * How late the bench started each scheduled operation that succeeded, in nanoseconds: from the time
     * the schedule gave it to its start on its client's thread ({@code inLoop} false), or only the part
     * after the driving thread handed it over, waiting for the client's event loop ({@code inLoop} true).
     */
    public long[] lags(boolean inLoop) {
        long[] out = new long[ok.get()];
        int n = 0;
        for (int i = 0; i < state.length() && n < out.length; i++) {
            if (state.get(i) == OK && scheduled[i]) {
                out[n++] = Math.max(0, startNanos[i] - (inLoop ? issuedNanos[i] : dueNanos[i]));
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** The first detail recorded for each failure reason. */
    public Map<String, String> failureExamples() {
        return new TreeMap<>(examples);
    }

    /**
     * When each successful operation ended, in nanoseconds after {@code t0} (a {@link System#nanoTime}
     * value), in ascending order.
     */
    public long[] completions(long t0) {
        long[] out = new long[ok.get()];
        int n = 0;
        for (int i = 0; i < state.length() && n < out.length; i++) {
            if (state.get(i) == OK) {
                out[n++] = startNanos[i] + latencyNanos[i] - t0;
            }
        }
        out = n == out.length ? out : java.util.Arrays.copyOf(out, n);
        java.util.Arrays.sort(out);
        return out;
    }

    /** Failures by reason, sorted by reason. */
    public Map<String, Long> failures() {
        Map<String, Long> out = new TreeMap<>();
        failures.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
