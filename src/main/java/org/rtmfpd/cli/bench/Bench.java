package org.rtmfpd.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.client.DerivedKeys;

/**
 * The phases of {@code rtmfpd bench} and their report: (warm-up), connect, hold, NetGroup joins,
 * introductions, against a server on this machine, with the server's CPU time and memory read through a
 * {@link ServerProbe}. {@code BenchCommand} parses the options into {@link Settings} and calls {@link #run}.
 */
public final class Bench {
    public static final int OK = 0;
    /** The exit code when operations failed: refused by the server, or no outcome in time. */
    public static final int OPERATIONS_FAILED = 2;
    private static final long SETTLE_MILLIS = 500;
    /**
     * The driving thread sleeps at least this long between its looks at the schedule, so that at high rates
     * it wakes in batches (a wakeup costs the bench's core several µs); an operation it starts late by up
     * to this much shows in the bench's lag.
     */
    static final long MIN_PARK_NANOS = 250_000;
    /** ... and at most this long, when it waits for operations to end. */
    static final long MAX_PARK_NANOS = 1_000_000;
    private static final int GROUP_ID_LENGTH = 32;

    /** The options of {@code rtmfpd bench} that the phases use; see its help for each. */
    public record Settings(int clients, double rate, int maxPending, double holdSeconds, int pairs, int introRounds,
                           boolean introUntilForwarded, Double introRate,
                           int groups, int groupSize, List<ServerProcess> serverProcesses, String metricsUrl, boolean jcmdGc,
                           boolean hmacSseq, int threads, int warmup, Integer awaitSessions, double timeoutSeconds,
                           URI targetUrl, InetSocketAddress targetServer, boolean derivedClientKeys) {
        public Settings {
            serverProcesses = List.copyOf(serverProcesses);
            if ((targetUrl == null) != (targetServer == null)) {
                throw new IllegalArgumentException("a target server needs both its URL and its address");
            }
        }
    }

    /**
     * Who introduces whom, and who joins groups, among the connected clients: initiator {@code k} asks for
     * target {@code k}; the {@code rest} join groups. Without a target server, the connected clients pair off
     * in order (the 2k-th asks for the (2k+1)-th). With one, the clients were sent to a server by slot, the
     * odd slots below 2 x --pairs to the target server: initiators are the connected even slots below that,
     * targets the connected odd slots, and the rest are the connected slots from 2 x --pairs on (all on
     * --server); an initiator or target left without its counterpart is not used.
     */
    record Pairing(int[] initiators, int[] targets, int[] rest) {
        static Pairing of(int[] connected, int pairs, boolean targetServer) {
            if (!targetServer) {
                int usable = Math.min(pairs, connected.length / 2);
                int[] from = new int[usable];
                int[] to = new int[usable];
                for (int k = 0; k < usable; k++) {
                    from[k] = connected[2 * k];
                    to[k] = connected[2 * k + 1];
                }
                return new Pairing(from, to, Arrays.copyOfRange(connected, 2 * usable, connected.length));
            }
            int[] from = new int[connected.length];
            int[] to = new int[connected.length];
            int[] rest = new int[connected.length];
            int f = 0;
            int t = 0;
            int r = 0;
            for (int slot : connected) {
                if (slot >= 2L * pairs) {
                    rest[r++] = slot;
                } else if (slot % 2 == 0) {
                    from[f++] = slot;
                } else {
                    to[t++] = slot;
                }
            }
            int usable = Math.min(f, t);
            return new Pairing(Arrays.copyOf(from, usable), Arrays.copyOf(to, usable), Arrays.copyOf(rest, r));
        }

        int pairs() {
            return initiators.length;
        }
    }

    /** Whether client slot {@code i} connects to the target server: the odd slots below 2 x --pairs. */
    static boolean onTargetServer(int i, int pairs) {
        return i < 2L * pairs && i % 2 == 1;
    }

    private final int clients;
    private final double rate;
    private final int maxPending;
    private final double holdSeconds;
    private final int pairs;
    private final int introRounds;
    private final boolean introUntilForwarded;
    private final Double introRate;
    private final int groups;
    private final int groupSize;
    private final List<ServerProcess> serverProcesses;
    private final Long serverPid;
    private final String metricsUrl;
    private final boolean jcmdGc;
    private final boolean hmacSseq;
    private final int threads;
    private final int warmup;
    private final Integer awaitSessions;
    private final double timeoutSeconds;
    private final URI targetUrl;
    private final InetSocketAddress targetServer;
    private final boolean derivedClientKeys;

    private final URI url;
    private final InetSocketAddress server;
    private final ServerProbe probe;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ProcStats self = new ProcStats(ProcessHandle.current().pid(), ProcStats.DEFAULT_TICKS_PER_SECOND);
    private long startedAt;
    private Map<String, Double> countersBefore = Map.of();

    public Bench(Settings s, URI url, InetSocketAddress server, ServerProbe probe, PrintWriter out, PrintWriter err) {
        this.clients = s.clients();
        this.rate = s.rate();
        this.maxPending = s.maxPending();
        this.holdSeconds = s.holdSeconds();
        this.pairs = s.pairs();
        this.introRounds = s.introRounds();
        this.introUntilForwarded = s.introUntilForwarded();
        this.introRate = s.introRate();
        this.groups = s.groups();
        this.groupSize = s.groupSize();
        this.serverProcesses = s.serverProcesses();
        this.serverPid = serverProcesses.isEmpty() ? null : serverProcesses.get(0).pid();
        this.metricsUrl = s.metricsUrl();
        this.jcmdGc = s.jcmdGc();
        this.hmacSseq = s.hmacSseq();
        this.threads = s.threads();
        this.warmup = s.warmup();
        this.awaitSessions = s.awaitSessions();
        this.timeoutSeconds = s.timeoutSeconds();
        this.targetUrl = s.targetUrl();
        this.targetServer = s.targetServer();
        this.derivedClientKeys = s.derivedClientKeys();
        this.url = url;
        this.server = server;
        this.probe = probe;
        this.out = out;
        this.err = err;
        this.startedAt = System.nanoTime();
    }

    /** Makes the identities, runs the warm-up and the phases, prints the report; returns the exit code. */
    public int run(List<InetAddress> sources) throws InterruptedException {
        startedAt = System.nanoTime();
        ClientSettings settings = (hmacSseq ? ClientSettings.HMAC_SSEQ_REQUIRED : ClientSettings.FLASH_LIKE)
                .withOpenTimeout(java.time.Duration.ofMillis((long) (timeoutSeconds * 1000)));
        int warmIdentities = Math.min(warmup, clients);
        List<ClientIdentity> identities = makeIdentities(warmIdentities + clients);
        if (warmup > 0) {
            warmUp(identities.subList(0, warmIdentities), settings, sources);
        }
        Fleet fleet = new Fleet(threads, identities.subList(warmIdentities, identities.size()), settings, url, server);
        try {
            progress("binding " + clients + " sockets on " + sources.size() + " source address(es); "
                    + openFiles() + " files open now");
            int bound = fleet.bind(sources, n -> progress("bound " + n));
            if (bound < clients) {
                progress((clients - bound) + " sockets could not be bound, e.g. " + firstBindFailure(fleet));
            }
            settleHeap();
            return measure(fleet, sources, bound);
        } finally {
            progress("closing the clients, " + fmt(closeRate()) + " a second");
            fleet.closeAll(closeRate(), 3_000);
            fleet.close();
        }
    }

    private int measure(Fleet fleet, List<InetAddress> sources, int bound) throws InterruptedException {
        Memory before = memory("before the connects");
        countersBefore = serverCounters();
        double opRate = introRate != null ? introRate : rate;

        Phase connects = new Phase("connect", clients);
        Result connect = drive(fleet, connects, clients, rate, i -> connect(fleet, i, connects), fleet::connectStage);

        int[] connected = connectedClients(fleet, connects);
        if (awaitSessions != null) {
            awaitServerSessions(awaitSessions);
        }
        Result hold = holdPhase(connected.length);
        Memory held = memory("with " + connected.length + " sessions held");
        double idleCpuPerSecond = hold.cpuNanos >= 0 && hold.wallNanos > 0 ? hold.cpuNanos / (hold.wallNanos / 1e9) : -1;

        Pairing pairing = Pairing.of(connected, pairs, targetServer != null);
        int usablePairs = pairing.pairs();
        int usableGroups = Math.min(groups, pairing.rest().length / Math.max(1, groupSize));
        Result join = null;
        if (usableGroups > 0) {
            join = groupPhase(fleet, pairing.rest(), usableGroups, opRate, "join");
        }
        Result intro = null;
        if (usablePairs > 0) {
            intro = introductionPhase(fleet, pairing, opRate, "introduction");
        }
        if (pairs > usablePairs || groups > usableGroups) {
            progress("only " + connected.length + " clients connected: " + usablePairs + " pairs and " + usableGroups + " groups");
        }
        report(fleet, sources, bound, connect, hold, join, intro, before, held, connected.length, idleCpuPerSecond);
        long failed = connect.phase.failed() + (join == null ? 0 : join.phase.failed())
                + (intro == null ? 0 : intro.phase.failed());
        return failed > 0 || bound < clients ? OPERATIONS_FAILED : OK;
    }

    // ---------------------------------------------------------------- phases

    private List<ClientIdentity> makeIdentities(int n) throws InterruptedException {
        if (derivedClientKeys) {
            progress("making " + n + " client identities (static group-2 DH keys derived from one exponent)");
            DerivedKeys family = DerivedKeys.generate(new SecureRandom());
            List<ClientIdentity> made = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                made.add(family.next());
            }
            return made;
        }
        progress("making " + n + " client identities (a static group-2 DH key each)");
        ClientIdentity[] made = new ClientIdentity[n];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        for (int w = 0; w < workers; w++) {
            pool.execute(() -> {
                SecureRandom random = new SecureRandom();
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    made[i] = ClientIdentity.generate(random);
                    done.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
            progress("identities " + done.get() + "/" + n);
        }
        return Arrays.asList(made);
    }

    /** Client {@code i} connects to --server, or with a target server, to that one if its slot is a target's. */
    private void connect(Fleet fleet, int i, Phase phase) {
        if (targetServer != null && onTargetServer(i, pairs)) {
            fleet.connect(i, phase, i, targetUrl, targetServer);
        } else {
            fleet.connect(i, phase, i);
        }
    }

    /** Clients closed per second at the end: the connect rate, within 1,000..10,000. */
    private double closeRate() {
        return Math.max(1_000, Math.min(10_000, rate));
    }

    /**
     * Connects {@code --warmup} clients, closes them and waits until the server has forgotten them, in
     * rounds of at most {@code --clients} sockets (the warm-up identities are used again in each round).
     */
    private void warmUp(List<ClientIdentity> identities, ClientSettings settings, List<InetAddress> sources)
            throws InterruptedException {
        int round = Math.min(identities.size(), clients);
        int done = 0;
        for (int r = 1; done < warmup; r++) {
            int n = Math.min(round, warmup - done);
            Fleet warm = new Fleet(threads, identities.subList(0, n), settings, url, server);
            try {
                warm.bind(sources, null);
                Phase phase = new Phase("warm-up", n);
                Result res = drive(warm, phase, n, rate, i -> connect(warm, i, phase), warm::connectStage);
                int[] connected = connectedClients(warm, phase);
                Pairing pairing = Pairing.of(connected, pairs, targetServer != null);
                int warmGroups = Math.min(groups, pairing.rest().length / Math.max(1, groupSize));
                double opRate = introRate != null ? introRate : rate;
                if (warmGroups > 0) {
                    groupPhase(warm, pairing.rest(), warmGroups, opRate, "warm-up join");
                }
                if (pairing.pairs() > 0) {
                    introductionPhase(warm, pairing, opRate, "warm-up introduction");
                }
                progress("warm-up round " + r + ": " + res.phase.succeeded() + " connected, " + res.phase.failed()
                        + " failed; closing them");
                warm.closeAll(closeRate(), 3_000);
            } finally {
                warm.close();
            }
            done += n;
            drain();
        }
    }

    /**
     * A full collection of the bench's own heap before the phases: the clients and sockets made just now
     * move to the old generation at once, instead of being copied by every young collection of the first
     * phase, whose CPU time the report charges to the bench's operations.
     */
    private void settleHeap() {
        long t = System.nanoTime();
        System.gc();
        progress(String.format(Locale.ROOT, "the bench's heap collected before the phases (%.0f ms)", (System.nanoTime() - t) / 1e6));
    }

    /** Waits until the server holds no session (with --metrics), or 21 s (RFC 7016 close linger: 19 s). */
    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + 150_000_000_000L; // the idle timeout (120 s) ends any that were not closed
        if (metricsUrl != null) {
            double left;
            while (System.nanoTime() < deadline && (left = metric("rtmfpd_sessions")) > 0) {
                progress("warm-up: waiting for the server to forget the warm-up sessions (" + (long) left + " left)");
                Thread.sleep(1_000);
            }
        } else {
            progress("warm-up: waiting 21 s for the server to forget the warm-up sessions (RFC 7016 close linger: 19 s)");
            Thread.sleep(21_000);
        }
    }

    private void awaitServerSessions(int wanted) throws InterruptedException {
        long deadline = System.nanoTime() + 600_000_000_000L;
        double now;
        while ((now = metric("rtmfpd_sessions")) < wanted && System.nanoTime() < deadline) {
            progress("waiting for the server to hold " + wanted + " sessions: " + (long) now);
            Thread.sleep(1_000);
        }
        progress("the server holds " + (long) metric("rtmfpd_sessions") + " sessions");
    }

    private Result holdPhase(int held) throws InterruptedException {
        progress("holding " + held + " sessions for " + holdSeconds + " s");
        Map<String, Long> threads0 = probe.threadCpuNanos();
        long[] c0 = reading();
        long t0 = System.nanoTime();
        long end = t0 + (long) (holdSeconds * 1e9);
        long nextReport = t0 + 1_000_000_000L;
        long[] last = c0;
        long lastReportAt = t0;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (now >= nextReport) {
                long[] c = reading();
                progress(String.format(Locale.ROOT, "hold %5.1f s: %d sessions%s%s", (now - t0) / 1e9, held,
                        cpuPercent(last, c, (now - lastReportAt) / 1e9), metricsUrl != null ? ", server counts " + (long) metric("rtmfpd_sessions") : ""));
                last = c;
                lastReportAt = now;
                nextReport += 1_000_000_000L;
            }
            Thread.sleep(Math.max(1, Math.min(200, (end - now) / 1_000_000)));
        }
        long t1 = System.nanoTime();
        long[] c1 = reading();
        long[] used = c0 != null && c1 != null ? delta(c0, c1) : null;
        Result r = new Result(new Phase("hold", 0), t1 - t0, used != null ? used[0] : -1);
        r.cpuNanosEach = used != null ? Arrays.copyOfRange(used, 2, used.length) : null;
        threadReading(r, threads0, t0, t1);
        r.held = held;
        return r;
    }

    private Result groupPhase(Fleet fleet, int[] members, int count, double opRate, String name)
            throws InterruptedException {
        SecureRandom random = new SecureRandom();
        byte[][] ids = new byte[count][GROUP_ID_LENGTH];
        for (byte[] id : ids) {
            random.nextBytes(id);
        }
        progress("groups: " + count + " founders join first");
        for (int g = 0; g < count; g++) {
            fleet.join(members[g * groupSize], ids[g], null, -1);
        }
        Thread.sleep(1_000);
        int joiners = count * (groupSize - 1);
        Phase joins = new Phase(name, joiners);
        return drive(fleet, joins, joiners, opRate, i -> {
            int g = i % count;
            int k = 1 + i / count;
            fleet.join(members[g * groupSize + k], ids[g], joins, i);
        }, i -> "no member named");
    }

    /**
     * Issues {@code count} operations at {@code perSecond}, at most {@code --max-pending} in progress, and
     * waits until each has ended, printing a progress line every second. Operations with no outcome after
     * {@code --timeout} fail, for the reason {@code stall} gives; the whole phase is cut off at its ramp time
     * plus twice the timeout plus 30 s. The server's CPU time is read every 100 ms; the phase's share is
     * the time from its start to the first reading at least {@value #SETTLE_MILLIS} ms after its last
     * success, so that operations left to time out do not add the server's idle time.
     */
    private Result drive(Fleet fleet, Phase phase, int count, double perSecond, IntConsumer issue, IntFunction<String> stall)
            throws InterruptedException {
        progress(phase.name() + ": " + count + " at " + fmt(perSecond) + "/s");
        long timeout = (long) (timeoutSeconds * 1e9);
        List<long[]> cpuSamples = new ArrayList<>(); // {when, then the reading}
        Map<String, Long> threads0 = probe.threadCpuNanos();
        long[] c0 = reading();
        long b0 = selfCpu();
        long bSys0 = selfSystem();
        long loops0 = fleet.loopCpuNanos();
        java.lang.management.ThreadMXBean threadClocks = java.lang.management.ManagementFactory.getThreadMXBean();
        long driver0 = threadClocks.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        if (c0 != null) {
            cpuSamples.add(stamped(t0, c0));
        }
        long cutoff = t0 + (long) (count / perSecond * 1e9) + 2 * timeout + 30_000_000_000L;
        long nextReport = t0 + 1_000_000_000L;
        long nextSample = t0 + 100_000_000L;
        long nextExpiry = t0 + 250_000_000L;
        String timedOut = "no outcome within " + fmt(timeoutSeconds) + " s: ";
        int issued = 0;
        long lastIssuedAt = 0;
        int lastOk = 0;
        long lastReportAt = t0;
        long[] lastCpu = c0;
        long lastSelf = b0;
        while (phase.ended() < count) {
            long now = System.nanoTime();
            long allowed = Math.min(count, 1 + (long) ((now - t0) / 1e9 * perSecond));
            while (issued < allowed && issued - phase.ended() < maxPending) {
                phase.schedule(issued, t0 + (long) (issued / perSecond * 1e9));
                issue.accept(issued++);
                if (issued == count) {
                    lastIssuedAt = System.nanoTime();
                }
            }
            if (now >= nextExpiry) {
                phase.expireStartedBefore(now - timeout, i -> timedOut + stall.apply(i));
                nextExpiry = now + 250_000_000L;
            }
            if (now - cutoff >= 0) {
                for (int i = 0; i < count; i++) {
                    phase.fail(i, "phase cut off");
                }
                break;
            }
            if (now >= nextSample && c0 != null) {
                long[] c = reading();
                if (c != null) {
                    cpuSamples.add(stamped(now, c));
                }
                nextSample = now + 100_000_000L;
            }
            if (now >= nextReport) {
                long[] c = reading();
                long b = selfCpu();
                int ok = phase.succeeded();
                progress(String.format(Locale.ROOT, "%s %5.1f s: %d/%d ok, %d failed, %d pending, %d/s%s, bench CPU %.0f %%",
                        phase.name(), (now - t0) / 1e9, ok, count, phase.failed(), issued - phase.ended(), ok - lastOk,
                        cpuPercent(lastCpu, c, (now - lastReportAt) / 1e9), (b - lastSelf) / 1e7 / ((now - lastReportAt) / 1e9)));
                lastSelf = b;
                lastOk = ok;
                lastCpu = c;
                lastReportAt = now;
                nextReport += 1_000_000_000L;
            }
            LockSupport.parkNanos(parkNanos(issued, count, issued - phase.ended() >= maxPending,
                    t0 + (long) (issued / perSecond * 1e9) - System.nanoTime()));
        }
        long t1 = System.nanoTime();
        long last = phase.lastSuccessNanos() != 0 ? phase.lastSuccessNanos() : t1;
        long cpuNanos = -1;
        long systemNanos = -1;
        long[] cpuNanosEach = null;
        long window = 0;
        if (c0 != null) {
            long[] end = null;
            for (long[] sample : cpuSamples) {
                if (sample[0] - (last + SETTLE_MILLIS * 1_000_000) >= 0) {
                    end = sample;
                    break;
                }
            }
            if (end == null) {
                long wait = last + SETTLE_MILLIS * 1_000_000 - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000 + 1);
                }
                long[] c = reading();
                end = stamped(System.nanoTime(), c != null ? c : c0);
            }
            long[] used = delta(c0, Arrays.copyOfRange(end, 1, end.length));
            cpuNanos = used[0];
            systemNanos = used[1];
            cpuNanosEach = Arrays.copyOfRange(used, 2, used.length);
            window = end[0] - t0;
        }
        Result r = new Result(phase, Math.max(1, last - t0), cpuNanos);
        r.cpuNanosEach = cpuNanosEach;
        r.cpuWindowNanos = window;
        threadReading(r, threads0, t0, last + SETTLE_MILLIS * 1_000_000);
        r.systemNanos = systemNanos;
        long[] completions = phase.completions(t0);
        if (completions.length > 0) {
            for (int k = 0; k < Result.MARKS.length; k++) {
                int needed = (int) Math.ceil(Result.MARKS[k] / 100.0 * count);
                if (needed >= 1 && completions.length >= needed) {
                    r.markNanos[k] = completions[needed - 1];
                }
            }
            for (long c : completions) {
                r.heldSessionNanos += Math.max(0, window - c);
            }
        }
        r.benchCpuNanos = selfCpu() - b0;
        r.benchSystemNanos = selfSystem() - bSys0;
        r.benchLoopCpuNanos = fleet.loopCpuNanos() - loops0;
        r.benchDriverCpuNanos = threadClocks.getCurrentThreadCpuTime() - driver0;
        r.issuedNanos = lastIssuedAt != 0 ? lastIssuedAt - t0 : -1;
        r.scheduleRate = perSecond;
        progress(String.format(Locale.ROOT, "%s done: %d ok, %d failed in %.2f s (last success at %.2f s)", phase.name(),
                phase.succeeded(), phase.failed(), (t1 - t0) / 1e9, (last - t0) / 1e9));
        return r;
    }

    /**
     * How long the driving thread sleeps before it looks at the schedule again: until the next operation
     * is due ({@code untilDueNanos} from now), within {@link #MIN_PARK_NANOS}..{@link #MAX_PARK_NANOS}; the
     * longest when every operation was issued or {@code --max-pending} holds the next back.
     */
    static long parkNanos(int issued, int count, boolean held, long untilDueNanos) {
        if (issued >= count || held) {
            return MAX_PARK_NANOS;
        }
        return Math.max(MIN_PARK_NANOS, Math.min(MAX_PARK_NANOS, untilDueNanos));
    }

    /**
     * The server's CPU time by thread role from {@code before} (read at {@code t0}) to now, once {@code notBefore}
     * has passed: exact to the nanosecond, unlike /proc's ticks. Nothing without --metrics.
     */
    private void threadReading(Result r, Map<String, Long> before, long t0, long notBefore) throws InterruptedException {
        if (before.isEmpty()) {
            return;
        }
        long wait = notBefore - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000 + 1);
        }
        Map<String, Long> after = probe.threadCpuNanos();
        r.threadWindowNanos = System.nanoTime() - t0;
        r.threadNanos = ThreadShares.delta(before, after);
    }

    /** Initiator {@code i} of {@code pairing} asks for its target {@code i}, for every pair. */
    private Result introductionPhase(Fleet fleet, Pairing pairing, double perSecond, String name)
            throws InterruptedException {
        int n = pairing.pairs();
        int rounds = Math.min(introRounds, n);
        int count = n * rounds;
        int[] from = pairing.initiators();
        int[] to = pairing.targets();
        Phase intros = new Phase(name, count);
        double introsBefore = counter("rtmfpd_events_total{event=\"introduction\"}");
        IntUnaryOperator target = i -> to[(i % n + i / n) % n];
        Result intro = introUntilForwarded
                ? drive(fleet, intros, count, perSecond, i -> fleet.introduceUntilForwarded(from[i % n], target.applyAsInt(i), intros, i),
                        i -> fleet.forwardStage(from[i % n]))
                : drive(fleet, intros, count, perSecond, i -> fleet.introduce(from[i % n], target.applyAsInt(i), intros, i),
                        i -> fleet.peerStage(from[i % n]));
        double introsAfter = counter("rtmfpd_events_total{event=\"introduction\"}");
        if (introsBefore >= 0 && introsAfter >= 0) {
            intro.serverCount = (long) (introsAfter - introsBefore);
        }
        return intro;
    }

    private static int[] connectedClients(Fleet fleet, Phase connects) {
        int[] out = new int[connects.size()];
        int n = 0;
        for (int i = 0; i < connects.size(); i++) {
            if (connects.isOk(i) && fleet.isConnected(i)) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    // ---------------------------------------------------------------- readings

    /** What one phase measured. */
    private static final class Result {
        final Phase phase;
        final long wallNanos;
        final long cpuNanos;
        /** The span the CPU time was read over. */
        long cpuWindowNanos;
        /** Each server process's part of {@link #cpuNanos}, in the order of --server-pid; null without. */
        long[] cpuNanosEach;
        /** The kernel's part of {@link #cpuNanos} (stime): sockets, mostly. */
        long systemNanos = -1;
        /** Shares of the operations whose completion times the report gives. */
        static final int[] MARKS = {50, 90, 99};
        /** When each share of {@link #MARKS} of the operations had succeeded, after the start; 0 if it never did. */
        final long[] markNanos = new long[MARKS.length];
        /** Sum over the successful operations of the time from their success to the end of the CPU window. */
        long heldSessionNanos;
        /** The bench's own CPU time over the phase (and the wait after it). */
        long benchCpuNanos;
        /** The part of {@link #benchCpuNanos} on the clients' event loops (their thread clocks). */
        long benchLoopCpuNanos;
        /** The kernel's part of {@link #benchCpuNanos} (stime). */
        long benchSystemNanos;
        /** The part of {@link #benchCpuNanos} on the thread that drives the phase (its thread clock). */
        long benchDriverCpuNanos;
        /** From the start to the issue of the last operation; -1 if not all were issued. */
        long issuedNanos = -1;
        /** The rate the schedule asked for. */
        double scheduleRate;
        long serverCount = -1;
        int held;
        /** The server's CPU time by thread role over {@link #threadWindowNanos}; null without --metrics. */
        Map<String, Long> threadNanos;
        long threadWindowNanos;

        Result(Phase phase, long wallNanos, long cpuNanos) {
            this.phase = phase;
            this.wallNanos = wallNanos;
            this.cpuNanos = cpuNanos;
        }
    }

    private record Memory(long rssBytes, long heapBytes, long sessions) {
    }

    private Memory memory(String when) {
        long heap = probe.heapBytes(when);
        ProcStats.Sample s = cpu();
        long rss = s != null ? s.rssBytes() : -1;
        double sessions = metric("rtmfpd_sessions");
        return new Memory(rss, heap, sessions >= 0 ? (long) sessions : -1);
    }

    private long selfSystem() {
        try {
            return self.read().systemNanos();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private long selfCpu() {
        try {
            return self.read().cpuNanos();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private ProcStats.Sample cpu() {
        return probe.cpu();
    }

    /**
     * The server processes' CPU time now: {@code {sum of cpu, sum of system, cpu of each process...}}, in
     * nanoseconds; null without --server-pid or when one cannot be read.
     */
    private long[] reading() {
        return reading(probe.cpuEach());
    }

    static long[] reading(ProcStats.Sample[] each) {
        if (each == null || each.length == 0) {
            return null;
        }
        ProcStats.Sample sum = ProcStats.sum(each);
        long[] r = new long[2 + each.length];
        r[0] = sum.cpuNanos();
        r[1] = sum.systemNanos();
        for (int k = 0; k < each.length; k++) {
            r[2 + k] = each[k].cpuNanos();
        }
        return r;
    }

    /** What was used between two readings, element by element. */
    static long[] delta(long[] from, long[] to) {
        if (from.length != to.length) {
            throw new IllegalArgumentException("readings of " + from.length + " and " + to.length + " values");
        }
        long[] d = new long[to.length];
        for (int k = 0; k < d.length; k++) {
            d[k] = to[k] - from[k];
        }
        return d;
    }

    private static long[] stamped(long nanoTime, long[] reading) {
        long[] out = new long[reading.length + 1];
        out[0] = nanoTime;
        System.arraycopy(reading, 0, out, 1, reading.length);
        return out;
    }

    private double metric(String series) {
        return probe.metric(series);
    }

    private double counter(String series) {
        return probe.counter(series);
    }

    private Map<String, Double> serverCounters() {
        return probe.dropsAndRefusals();
    }

    /** How many files this process has open, or -1. */
    private static long openFiles() {
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            return list.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }


    // ---------------------------------------------------------------- output

    private void report(Fleet fleet, List<InetAddress> sources, int bound, Result connect, Result hold, Result join,
                        Result intro, Memory before, Memory held, int heldCount, double idleCpuPerSecond) {
        StringBuilder s = new StringBuilder();
        s.append("\nrtmfpd bench: ").append(url).append(serverHeader()).append('\n');
        if (targetUrl != null) {
            s.append("  introductions: initiators on ").append(url).append(", targets on ").append(targetUrl)
                    .append(" (the odd client slots below 2 x --pairs connect there)\n");
        }
        s.append(String.format(Locale.ROOT, "  %d clients (%d bound) on %d source address(es), %d event-loop thread(s) (%s), "
                        + "%s keying, DH group 2 (%s client keys); connect rate target %s/s, at most %d pending%s%n",
                clients, bound, sources.size(), threads, fleet.usesEpoll() ? "epoll" : "nio",
                hmacSseq ? "HMAC+SSEQ required (0x07)" : "Flash-like (HMAC/SSEQ on request)",
                derivedClientKeys ? "derived" : "independent", fmt(rate), maxPending,
                warmup > 0 ? ", " + warmup + " warm-up connects first" : ""));
        s.append('\n');
        s.append(String.format(Locale.ROOT, "%-13s %8s %7s %8s %9s %9s %9s %9s %10s %6s %9s %9s %9s%n", "operation", "ok", "failed",
                "time s", "ok/s", "p50 ms", "p99 ms", "max ms", "srv CPU s", "sys %", "µs/op", "net µs/op", "bench µs"));
        // other benches may hold sessions too; with a target server, --server's gauge counts only its part
        long serverHeld = held.sessions > 0 && targetServer == null ? held.sessions : heldCount;
        double idlePerSession = idleCpuPerSecond >= 0 && serverHeld > 0 ? idleCpuPerSecond / serverHeld : -1;
        row(s, connect, idlePerSession >= 0 ? idlePerSession * (connect.heldSessionNanos / 1e9) : -1);
        if (join != null) {
            row(s, join, idleCpuPerSecond >= 0 ? idleCpuPerSecond * (join.cpuWindowNanos / 1e9) : -1);
        }
        if (intro != null) {
            row(s, intro, idleCpuPerSecond >= 0 ? idleCpuPerSecond * (intro.cpuWindowNanos / 1e9) : -1);
        }
        Result[] timed = {connect, join, intro};
        for (Result r : timed) {
            StringBuilder marks = new StringBuilder();
            for (int k = 0; k < Result.MARKS.length; k++) {
                if (r != null && r.markNanos[k] > 0) {
                    double n = Math.ceil(Result.MARKS[k] / 100.0 * r.phase.size());
                    marks.append(String.format(Locale.ROOT, "%s%d %% done after %.2f s (%.1f/s)", marks.length() > 0 ? ", " : "",
                            Result.MARKS[k], r.markNanos[k] / 1e9, n / (r.markNanos[k] / 1e9)));
                }
            }
            if (marks.length() > 0) {
                s.append("  ").append(r.phase.name()).append(": ").append(marks).append('\n');
            }
        }
        for (Result r : timed) {
            if (r != null) {
                s.append("  ").append(r.phase.name()).append(": ")
                        .append(ScheduleReport.schedule(r.phase, r.issuedNanos, r.scheduleRate)).append('\n');
                s.append("  ").append(r.phase.name()).append(": ")
                        .append(ScheduleReport.cpu(r.benchCpuNanos, r.benchSystemNanos, r.benchLoopCpuNanos, r.benchDriverCpuNanos, r.phase.succeeded())).append('\n');
            }
        }
        s.append("  latency: connect = IHello sent to _result received; join = join sent to first member named;\n"
                + (introUntilForwarded
                        ? "  introduction = IHello for the peer sent to the initiator's Redirect and the target's Forwarded\n"
                                + "  IHello both received (--intro-until forward; " + introRounds + " round(s)). ok/s = ok / (last success - start).\n"
                        : "  introduction = connectToPeer to the direct session open (" + introRounds
                                + " round(s)). ok/s = ok / (last success - start).\n")
                + "  srv CPU = server utime+stime from the start to " + SETTLE_MILLIS + " ms after the last success;\n"
                + "  sys % = the kernel's share of it (stime: socket calls, and on loopback the receiver's side too);\n"
                + "  µs/op = srv CPU / ok; net = the same less the server's idle CPU measured during the hold (for\n"
                + "  connects: per held session and second, times the session-seconds held in the window);\n"
                + "  bench µs = this process's own CPU time per ok operation over the phase.\n"
                + "  latency from the schedule = from the time the schedule (--rate, --intro-rate) gave the operation,\n"
                + "  so that a bench that fell behind counts the wait; lag = its start on its client's event loop less\n"
                + "  that time (the bench's own delay, or the ramp held at --max-pending); offered = operations issued\n"
                + "  a second up to the last one's issue.\n");
        if (serverProcesses.size() > 1) {
            s.append("  server CPU by process (srv CPU is their sum):\n");
            for (Result r : new Result[] {connect, join, intro, hold}) {
                if (r != null && r.cpuNanosEach != null) {
                    s.append(String.format(Locale.ROOT, "    %-13s %s%n", r.phase.name(),
                            processShares(serverProcesses, r.cpuNanosEach, r.phase.succeeded())));
                }
            }
        }
        if (hold.threadNanos != null) {
            s.append("  server CPU by thread (the server's thread CPU clocks, to the nanosecond; net = less the idle rate\n"
                    + "  of the hold times the phase's window):\n");
            for (Result r : new Result[] {connect, join, intro}) {
                if (r != null && r.threadNanos != null) {
                    s.append(String.format(Locale.ROOT, "    %-13s %s%n", r.phase.name(), ThreadShares.describe(r.threadNanos,
                            r.phase.succeeded(), hold.threadNanos, hold.wallNanos, r.threadWindowNanos)));
                }
            }
        }
        if (intro != null && intro.serverCount >= 0) {
            s.append(String.format(Locale.ROOT, "  the server counted %d introductions (retransmitted IHellos included)%s%n",
                    intro.serverCount, intro.cpuNanos >= 0 && intro.serverCount > 0
                            ? String.format(Locale.ROOT, ": %.2f µs of CPU each", intro.cpuNanos / 1e3 / intro.serverCount) : ""));
        }
        s.append('\n');
        s.append(String.format(Locale.ROOT, "hold: %d sessions%s for %.1f s", heldCount,
                targetServer != null ? " on the two servers" + (held.sessions >= 0 ? " (--server's holds " + held.sessions + ")" : "")
                        : serverHeld != heldCount ? " (the server holds " + serverHeld + ")" : "", hold.wallNanos / 1e9));
        if (hold.cpuNanos >= 0) {
            double perSecond = hold.cpuNanos / (hold.wallNanos / 1e9);
            s.append(String.format(Locale.ROOT, ": server CPU %.3f s (%.1f %% of a core", hold.cpuNanos / 1e9, perSecond / 1e7));
            if (serverHeld > 0) {
                s.append(String.format(Locale.ROOT, ", %.3f µs per session per second", perSecond / 1e3 / serverHeld));
            }
            s.append(')');
        }
        s.append('\n');
        if (before.rssBytes >= 0 || before.heapBytes >= 0) {
            s.append("server memory");
            if (before.sessions >= 0 || held.sessions >= 0) {
                s.append(" (server's session gauge: ").append(before.sessions).append(" before, ").append(held.sessions).append(" held)");
            }
            s.append('\n');
            long perSessions = heldCount;
            if (before.sessions >= 0 && held.sessions > before.sessions) {
                perSessions = held.sessions - before.sessions;
                if (perSessions != heldCount) {
                    s.append("  (per session: over the server's ").append(perSessions).append(" more sessions, this bench holds ")
                            .append(heldCount).append(")\n");
                }
            }
            memoryLine(s, "resident (VmRSS)", before.rssBytes, held.rssBytes, perSessions);
            memoryLine(s, "JVM heap used" + (jcmdGc && serverPid != null ? " after GC.run" : ""), before.heapBytes, held.heapBytes,
                    perSessions);
        }
        Map<String, Long> failures = new java.util.LinkedHashMap<>();
        Map<String, String> examples = new java.util.LinkedHashMap<>();
        for (Result r : new Result[] {connect, join, intro}) {
            if (r != null) {
                r.phase.failures().forEach((k, v) -> failures.put(r.phase.name() + ": " + k, v));
                r.phase.failureExamples().forEach((k, v) -> examples.put(r.phase.name() + ": " + k, v));
            }
        }
        if (!failures.isEmpty() || fleet.errors() > 0) {
            s.append("\nfailures\n");
            failures.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-40s %8d%s%n", k, v,
                    examples.containsKey(k) ? "  (e.g. " + examples.get(k) + ")" : "")));
            if (fleet.errors() > 0) {
                s.append(String.format(Locale.ROOT, "  %-40s %8d%n", "client errors (exceptions in cores)", fleet.errors()));
            }
        }
        Map<String, Double> countersAfter = serverCounters();
        StringBuilder counters = new StringBuilder();
        countersAfter.forEach((k, v) -> {
            double d = v - countersBefore.getOrDefault(k, 0.0);
            if (d > 0) {
                counters.append(String.format(Locale.ROOT, "  %-52s %10.0f%n", k, d));
            }
        });
        if (counters.length() > 0) {
            s.append("\nserver's drops and refusals during the run (its metrics)\n").append(counters);
        }
        s.append(String.format(Locale.ROOT, "%nbench ran %.1f s in all%n", (System.nanoTime() - startedAt) / 1e9));
        out.print(s);
        out.flush();
    }

    /** {@code " (server pid N)"}, or the processes whose CPU is summed, or nothing without --server-pid. */
    private String serverHeader() {
        if (serverProcesses.isEmpty()) {
            return "";
        }
        if (serverProcesses.size() == 1) {
            return " (server " + serverProcesses.get(0).describe() + ")";
        }
        StringBuilder b = new StringBuilder(" (server processes: ");
        for (int k = 0; k < serverProcesses.size(); k++) {
            b.append(k > 0 ? ", " : "").append(serverProcesses.get(k).describe());
        }
        return b.append("; server CPU is their sum)").toString();
    }

    /**
     * Each process's CPU time over a phase, its share of the sum and, with {@code ok} operations, its time
     * per operation: {@code pid 1 (node-1) 0.120 s, 13.33 µs/op, 55 %; pid 2 ...}.
     */
    static String processShares(List<ServerProcess> processes, long[] cpuNanosEach, int ok) {
        long total = 0;
        for (long c : cpuNanosEach) {
            total += c;
        }
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < processes.size() && k < cpuNanosEach.length; k++) {
            long c = cpuNanosEach[k];
            b.append(k > 0 ? "; " : "").append(processes.get(k).describe())
                    .append(String.format(Locale.ROOT, " %.3f s", c / 1e9));
            if (ok > 0) {
                b.append(String.format(Locale.ROOT, ", %.2f µs/op", c / 1e3 / ok));
            }
            if (total > 0) {
                b.append(String.format(Locale.ROOT, ", %.0f %%", 100.0 * c / total));
            }
        }
        return b.toString();
    }

    /** One line of the table; {@code idleNanos} is the server's idle CPU to take off for "net", or -1. */
    private static void row(StringBuilder s, Result r, double idleNanos) {
        Latencies.Summary l = Latencies.summarize(r.phase.latencies());
        int ok = r.phase.succeeded();
        double wall = r.wallNanos / 1e9;
        String cpu = r.cpuNanos >= 0 ? String.format(Locale.ROOT, "%.3f", r.cpuNanos / 1e9) : "-";
        String perOp = r.cpuNanos >= 0 && ok > 0 ? String.format(Locale.ROOT, "%.2f", r.cpuNanos / 1e3 / ok) : "-";
        String netPerOp = r.cpuNanos >= 0 && ok > 0 && idleNanos >= 0
                ? String.format(Locale.ROOT, "%.2f", Math.max(0, r.cpuNanos - idleNanos) / 1e3 / ok) : "-";
        String benchPerOp = ok > 0 ? String.format(Locale.ROOT, "%.1f", r.benchCpuNanos / 1e3 / ok) : "-";
        String sys = r.cpuNanos > 0 && r.systemNanos >= 0 ? String.format(Locale.ROOT, "%.0f", 100.0 * r.systemNanos / r.cpuNanos) : "-";
        s.append(String.format(Locale.ROOT, "%-13s %8d %7d %8.2f %9.1f %9.3f %9.3f %9.3f %10s %6s %9s %9s %9s%n", r.phase.name(), ok,
                r.phase.failed(), wall, wall > 0 ? ok / wall : 0, l.p50() / 1e6, l.p99() / 1e6, l.max() / 1e6, cpu, sys, perOp,
                netPerOp, benchPerOp));
    }

    private static void memoryLine(StringBuilder s, String what, long before, long after, long held) {
        if (before < 0 || after < 0) {
            return;
        }
        s.append(String.format(Locale.ROOT, "  %-28s before %9.1f MiB, with %d held %9.1f MiB", what, before / 1048576.0, held,
                after / 1048576.0));
        if (held > 0) {
            s.append(String.format(Locale.ROOT, ": %.0f bytes (%.2f KiB) per session", (after - before) / (double) held,
                    (after - before) / 1024.0 / held));
        }
        s.append('\n');
    }

    private String cpuPercent(long[] from, long[] to, double seconds) {
        if (from == null || to == null) {
            return "";
        }
        return String.format(Locale.ROOT, ", server CPU %.0f %%", (to[0] - from[0]) / 1e7 / seconds);
    }

    private void progress(String line) {
        err.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - startedAt) / 1e9, line);
        err.flush();
    }

    private static String firstBindFailure(Fleet fleet) {
        for (int i = 0; i < fleet.size(); i++) {
            if (!fleet.isBound(i)) {
                return fleet.bindFailure(i);
            }
        }
        return "none";
    }


    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
