package org.rtmfpd.cli;

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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import org.rtmfpd.cli.bench.Fleet;
import org.rtmfpd.cli.bench.Latencies;
import org.rtmfpd.cli.bench.LoopbackAddresses;
import org.rtmfpd.cli.bench.Phase;
import org.rtmfpd.cli.bench.ProcStats;
import org.rtmfpd.cli.bench.ServerProbe;
import org.rtmfpd.cli.bench.Soak;
import org.rtmfpd.cli.bench.SoakReport;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rtmfpd bench}: drives an RTMFP server on this machine (rtmfpd, or another such as rtmfp-cpp's
 * {@code tcserver}) with many simulated Flash-like clients from one process, and reports connect and
 * introduction rates and latencies and, given the server's PID, its CPU time per operation and its memory
 * per held session. Phases: (warm-up), connect, hold, NetGroup joins, introductions. Everything is bounded
 * in count and time, and only loopback addresses are accepted.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = BenchCommand.USAGE,
        description = "Load a local RTMFP server with simulated Flash-like clients and report rates, latencies, "
                + "and the server's CPU time and memory (with --server-pid).",
        footer = {"", "Phases: warm-up (--warmup), connect (--clients at --rate), hold (--hold), NetGroup joins "
                + "(--groups), introductions (--pairs). Client keys are made before any phase. Loopback addresses only. "
                + "Each client has its own UDP socket: raise 'ulimit -n' above --clients. Against rtmfpd, start it with "
                + "--dh-queue-limit at least --max-pending, or it drops the IIKeyings beyond its queue.",
                "", "Soak (--soak MINUTES): after a ramp to --clients (default 5000 with --soak) at --rate, steady churn: "
                + "--churn connects and as many closes a second, --soak-introductions, --soak-joins and as many leaves, "
                + "a --lossy share of the new clients dropping --loss of their datagrams both ways (their failures are "
                + "counted apart, as injected). One line a minute: operations, the server's heap after GC, RSS, descriptors "
                + "and threads; then a verdict. Needs --server-pid and --metrics. rtmfpd admits at most 20 IIKeyings a second "
                + "(bursts of 40) and 4 handshakes at a time from one source address: spread the clients with "
                + "--source-addresses 127.0.1.1-127.0.4.255, or raise --iikeyings-per-second-per-source and "
                + "--max-handshakes-per-source on the server."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the bench ran (failures are in the report); a soak: no operation failed that was not injected, "
                + "and the server's heap, descriptors and threads stayed flat",
            "1:the bench could not run", "2:a soak: operations failed that were not injected",
            "3:a soak: no such failure, but the server's heap, descriptors or threads grew", "64:invalid arguments"})
public final class BenchCommand implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int SOAK_FAILURES = 2;
    public static final int SOAK_GREW = 3;
    public static final int USAGE = 64;
    private static final int SOAK_DEFAULT_CLIENTS = 5000;
    private static final int MAX_CLIENTS = 1_000_000;
    private static final long SETTLE_MILLIS = 500;
    private static final int GROUP_ID_LENGTH = 32;

    @Option(names = "--server", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:1935",
            description = "The server, on a loopback address (default: ${DEFAULT-VALUE}).")
    String serverSpec;

    @Option(names = "--key", paramLabel = "KEY", defaultValue = "bench",
            description = "Developer key (the app name): clients connect to rtmfp://HOST:PORT/KEY (default: ${DEFAULT-VALUE}).")
    String key;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "1000", description = "Clients that connect and stay (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "1000",
            description = "Connects started per second, from zero to --clients (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--max-pending", paramLabel = "M", defaultValue = "500",
            description = "Operations in progress at most: past it the ramp waits (default: ${DEFAULT-VALUE}).")
    int maxPending;

    @Option(names = "--hold", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long the connected clients stay idle before the memory reading (default: ${DEFAULT-VALUE}).")
    double holdSeconds;

    @Option(names = "--pairs", paramLabel = "P", defaultValue = "0",
            description = "Pairs of connected clients: in each, one asks the server for the other by peer ID (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--intro-rate", paramLabel = "R", description = "Introductions and joins started per second (default: --rate).")
    Double introRate;

    @Option(names = "--groups", paramLabel = "G", defaultValue = "0",
            description = "NetGroups to join (rtmfpd's GC flow; tcserver has none) (default: ${DEFAULT-VALUE}).")
    int groups;

    @Option(names = "--group-size", paramLabel = "S", defaultValue = "10", description = "Clients joining each group (default: ${DEFAULT-VALUE}).")
    int groupSize;

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "The server's process: CPU time from /proc/PID/stat (utime+stime), memory from VmRSS of /proc/PID/status.")
    Long serverPid;

    @Option(names = "--metrics", paramLabel = "URL",
            description = "rtmfpd's metrics (http://127.0.0.1:PORT/metrics): JVM heap, sessions and introductions as the server counts them.")
    String metricsUrl;

    @Option(names = "--jcmd-gc", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run 'jcmd PID GC.run' before each heap reading, so that it counts live objects only "
                    + "(needs --server-pid and --metrics; default: on).")
    boolean jcmdGc;

    @Option(names = "--hmac-sseq", negatable = true,
            description = "Offer and require HMAC and session sequence numbers (flags 0x07, 16-byte tags, "
            + "rtmfp-cpp's default) instead of Flash Player's \"on request\" (default: off).")
    boolean hmacSseq;

    @Option(names = "--source-addresses", paramLabel = "LIST", defaultValue = "127.0.0.1",
            description = "Loopback addresses the clients' sockets bind to, in turn: a list and FIRST-LAST ranges, "
                    + "e.g. 127.0.0.2-127.0.0.50. Each address has about 28,000 ephemeral ports (default: ${DEFAULT-VALUE}).")
    String sourceSpec;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
            description = "Event loop threads shared by all clients (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "0",
            description = "Connects made and closed before anything is measured, so that a JVM server's JIT has compiled the "
                    + "per-connect code; in rounds of at most --clients, each with the joins and introductions asked for "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--await-sessions", paramLabel = "N",
            description = "After the connects, wait (at most 10 min) until the server reports N sessions before the hold: "
                    + "for runs where other bench processes connect more clients (needs --metrics). Memory per session is "
                    + "then taken over the server's session count.")
    Integer awaitSessions;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "20",
            description = "An operation with no outcome after this long fails (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--soak", paramLabel = "MINUTES",
            description = "Instead of the phases: steady churn for this many minutes, with the server's readings every minute "
                    + "(see below; needs --server-pid and --metrics).")
    Integer soakMinutes;

    @Option(names = "--churn", paramLabel = "R", defaultValue = "250",
            description = "Soak: connects of new clients a second, and as many closes of held ones (default: ${DEFAULT-VALUE}).")
    double churn;

    @Option(names = "--soak-introductions", paramLabel = "R", defaultValue = "250",
            description = "Soak: introductions a second between random held clients, under the peer cap (default: ${DEFAULT-VALUE}).")
    double soakIntroductions;

    @Option(names = "--soak-joins", paramLabel = "R", defaultValue = "100",
            description = "Soak: NetGroup joins a second, and as many leaves (default: ${DEFAULT-VALUE}).")
    double soakJoins;

    @Option(names = "--soak-groups", paramLabel = "G", defaultValue = "100",
            description = "Soak: NetGroups the clients join and leave (default: ${DEFAULT-VALUE}).")
    int soakGroups;

    @Option(names = "--lossy", paramLabel = "SHARE", defaultValue = "0.1",
            description = "Soak: share of the new clients that are lossy (default: ${DEFAULT-VALUE}).")
    double lossyShare;

    @Option(names = "--loss", paramLabel = "SHARE", defaultValue = "0.1",
            description = "Soak: share of a lossy client's datagrams dropped, each way (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--peer-cap", paramLabel = "N", defaultValue = "5",
            description = "Soak: the server's peer cap; a client is introduced to at most N-1 others (default: ${DEFAULT-VALUE}).")
    int peerCap;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private PrintWriter err;
    private ServerProbe probe;
    private final ProcStats self = new ProcStats(ProcessHandle.current().pid(), ProcStats.DEFAULT_TICKS_PER_SECOND);
    private InetSocketAddress server;
    private URI url;
    private long startedAt;
    private Map<String, Double> countersBefore = Map.of();

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        List<InetAddress> sources;
        try {
            server = LoopbackAddresses.server(serverSpec, 1935);
            sources = LoopbackAddresses.sources(sourceSpec);
            validate();
            url = URI.create("rtmfp://" + hostForUrl(server) + ":" + server.getPort() + "/" + key);
            if (metricsUrl != null) {
                URI m = URI.create(metricsUrl);
                if (!"http".equalsIgnoreCase(m.getScheme()) || m.getHost() == null) {
                    throw new IllegalArgumentException("--metrics wants http://127.0.0.1:PORT/metrics");
                }
                LoopbackAddresses.server(m.getHost() + ":" + (m.getPort() < 0 ? 80 : m.getPort()), 80);
            }
        } catch (IllegalArgumentException e) {
            err.println("bench: invalid arguments: " + e.getMessage());
            err.flush();
            return USAGE;
        }
        probe = new ServerProbe(serverPid, metricsUrl != null ? URI.create(metricsUrl) : null, jcmdGc, this::progress);
        if (serverPid != null) {
            try {
                probe.checkProcess();
            } catch (IOException | RuntimeException e) {
                err.println("bench: cannot read /proc/" + serverPid + ": " + e.getMessage());
                err.flush();
                return FAILED;
            }
        }
        if (soakMinutes != null) {
            return soak(sources);
        }
        long openFiles = openFilesLimit();
        int sockets = clients; // the warm-up rounds use at most as many, and are closed before the others bind
        if (openFiles > 0 && sockets + 100L > openFiles) {
            err.println("bench: " + sockets + " clients need as many sockets, but the open-files limit is " + openFiles
                    + ": raise it (ulimit -n " + (sockets + 1000) + ") in the shell that runs the bench, or run several benches");
            err.flush();
            return FAILED;
        }
        try {
            return run(sources);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    private void validateSoak() {
        if (soakMinutes < 1 || soakMinutes > 7 * 24 * 60) {
            throw new IllegalArgumentException("--soak must be 1..10080 minutes");
        }
        if (serverPid == null || metricsUrl == null) {
            throw new IllegalArgumentException("--soak needs --server-pid and --metrics");
        }
        if (!(churn > 0) || soakIntroductions < 0 || soakJoins < 0 || soakGroups < 0 || (soakJoins > 0 && soakGroups < 1)) {
            throw new IllegalArgumentException("--churn must be positive; --soak-introductions, --soak-joins and --soak-groups "
                    + "not negative, and joins need groups");
        }
        if (!(lossyShare >= 0 && lossyShare <= 1) || !(loss >= 0 && loss < 1)) {
            throw new IllegalArgumentException("--lossy must be 0..1 and --loss 0..1 (less than 1)");
        }
        if (peerCap < 2) {
            throw new IllegalArgumentException("--peer-cap must be at least 2");
        }
    }

    /** {@code --soak}: the {@link Soak} runner and its report. */
    private int soak(List<InetAddress> sources) {
        if (!spec.commandLine().getParseResult().hasMatchedOption("--clients")) {
            clients = SOAK_DEFAULT_CLIENTS;
        }
        try {
            validateSoak();
        } catch (IllegalArgumentException e) {
            err.println("bench: invalid arguments: " + e.getMessage());
            err.flush();
            return USAGE;
        }
        startedAt = System.nanoTime();
        Soak.Settings settings = new Soak.Settings(soakMinutes, clients, rate, churn, soakIntroductions, soakJoins, soakGroups,
                lossyShare, loss, timeoutSeconds, peerCap, maxPending);
        long openFiles = openFilesLimit();
        if (openFiles > 0 && settings.slots() + 100L > openFiles) {
            err.println("bench: the soak binds " + settings.slots() + " sockets (--clients and room for the churn), but the "
                    + "open-files limit is " + openFiles + ": raise it, or lower --clients or --churn");
            err.flush();
            return FAILED;
        }
        ClientSettings client = (hmacSseq ? ClientSettings.HMAC_SSEQ_REQUIRED : ClientSettings.FLASH_LIKE)
                .withOpenTimeout(java.time.Duration.ofMillis((long) (timeoutSeconds * 1000)));
        Soak soak = new Soak(settings, threads, client, url, server, probe, out, this::progress);
        try {
            int bound = soak.bind(sources);
            if (bound < settings.slots()) {
                err.println("bench: only " + bound + " of " + settings.slots() + " sockets could be bound");
                err.flush();
                return FAILED;
            }
            out.printf(Locale.ROOT, "rtmfpd bench --soak %d: %s (server pid %d); %d clients held on %d source address(es), "
                            + "%d event-loop thread(s) (%s); a second: %s connects and closes, %s introductions, %s joins and leaves "
                            + "(%d groups); %s of new clients lossy (%s of datagrams dropped each way); timeout %s s%n",
                    soakMinutes, url, serverPid, clients, sources.size(), threads, soak.usesEpoll() ? "epoll" : "nio", fmt(churn),
                    fmt(soakIntroductions), fmt(soakJoins), soakGroups, fmt(lossyShare), fmt(loss), fmt(timeoutSeconds));
            out.flush();
            Soak.Outcome outcome = soak.run(SoakReport.Tolerance.DEFAULT);
            return outcome.failed() > 0 ? SOAK_FAILURES : outcome.flat() ? OK : SOAK_GREW;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    private void validate() {
        if (clients < 1 || clients > MAX_CLIENTS) {
            throw new IllegalArgumentException("--clients must be 1.." + MAX_CLIENTS);
        }
        if (warmup < 0 || warmup > MAX_CLIENTS) {
            throw new IllegalArgumentException("--warmup must be 0.." + MAX_CLIENTS);
        }
        if (!(rate > 0) || (introRate != null && !(introRate > 0))) {
            throw new IllegalArgumentException("rates must be positive");
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("--max-pending must be at least 1");
        }
        if (!(holdSeconds >= 0 && holdSeconds <= 3600)) {
            throw new IllegalArgumentException("--hold must be 0..3600 seconds");
        }
        if (!(timeoutSeconds > 0 && timeoutSeconds <= 600)) {
            throw new IllegalArgumentException("--timeout must be more than 0 and at most 600 seconds");
        }
        if (pairs < 0 || groups < 0 || (groups > 0 && groupSize < 2)) {
            throw new IllegalArgumentException("--pairs and --groups must not be negative; --group-size at least 2");
        }
        if (2L * pairs + (long) groups * groupSize > clients) {
            throw new IllegalArgumentException("2 x --pairs + --groups x --group-size (" + (2L * pairs + (long) groups * groupSize)
                    + ") is more than --clients (" + clients + ")");
        }
        if (threads < 1 || threads > 16) {
            throw new IllegalArgumentException("--threads must be 1..16");
        }
        if (awaitSessions != null && (metricsUrl == null || awaitSessions < 1)) {
            throw new IllegalArgumentException("--await-sessions needs --metrics and a positive count");
        }
        if (key.isEmpty() || key.contains("/")) {
            throw new IllegalArgumentException("--key must be one path segment");
        }
    }

    private int run(List<InetAddress> sources) throws InterruptedException {
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
        Result connect = drive(connects, clients, rate, i -> fleet.connect(i, connects, i), fleet::connectStage);

        int[] connected = connectedClients(fleet, connects);
        if (awaitSessions != null) {
            awaitServerSessions(awaitSessions);
        }
        Result hold = holdPhase(connected.length);
        Memory held = memory("with " + connected.length + " sessions held");
        double idleCpuPerSecond = hold.cpuNanos >= 0 && hold.wallNanos > 0 ? hold.cpuNanos / (hold.wallNanos / 1e9) : -1;

        int usablePairs = Math.min(pairs, connected.length / 2);
        int usableGroups = Math.min(groups, (connected.length - 2 * usablePairs) / Math.max(1, groupSize));
        Result join = null;
        if (usableGroups > 0) {
            join = groupPhase(fleet, connected, 2 * usablePairs, usableGroups, opRate, "join");
        }
        Result intro = null;
        if (usablePairs > 0) {
            intro = introductionPhase(fleet, connected, usablePairs, opRate, "introduction");
        }
        if (pairs > usablePairs || groups > usableGroups) {
            progress("only " + connected.length + " clients connected: " + usablePairs + " pairs and " + usableGroups + " groups");
        }
        report(fleet, sources, bound, connect, hold, join, intro, before, held, connected.length, idleCpuPerSecond);
        return OK;
    }

    // ---------------------------------------------------------------- phases

    private List<ClientIdentity> makeIdentities(int n) throws InterruptedException {
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
                Result res = drive(phase, n, rate, i -> warm.connect(i, phase, i), warm::connectStage);
                int[] connected = connectedClients(warm, phase);
                int warmPairs = Math.min(pairs, connected.length / 2);
                int warmGroups = Math.min(groups, (connected.length - 2 * warmPairs) / Math.max(1, groupSize));
                double opRate = introRate != null ? introRate : rate;
                if (warmGroups > 0) {
                    groupPhase(warm, connected, 2 * warmPairs, warmGroups, opRate, "warm-up join");
                }
                if (warmPairs > 0) {
                    introductionPhase(warm, connected, warmPairs, opRate, "warm-up introduction");
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
        ProcStats.Sample c0 = cpu();
        long t0 = System.nanoTime();
        long end = t0 + (long) (holdSeconds * 1e9);
        long nextReport = t0 + 1_000_000_000L;
        ProcStats.Sample last = c0;
        long lastReportAt = t0;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (now >= nextReport) {
                ProcStats.Sample c = cpu();
                progress(String.format(Locale.ROOT, "hold %5.1f s: %d sessions%s%s", (now - t0) / 1e9, held,
                        cpuPercent(last, c, (now - lastReportAt) / 1e9), metricsUrl != null ? ", server counts " + (long) metric("rtmfpd_sessions") : ""));
                last = c;
                lastReportAt = now;
                nextReport += 1_000_000_000L;
            }
            Thread.sleep(Math.max(1, Math.min(200, (end - now) / 1_000_000)));
        }
        long t1 = System.nanoTime();
        ProcStats.Sample c1 = cpu();
        Result r = new Result(new Phase("hold", 0), t1 - t0, c0 != null && c1 != null ? c1.cpuNanos() - c0.cpuNanos() : -1);
        r.held = held;
        return r;
    }

    private Result groupPhase(Fleet fleet, int[] connected, int from, int count, double opRate, String name)
            throws InterruptedException {
        SecureRandom random = new SecureRandom();
        byte[][] ids = new byte[count][GROUP_ID_LENGTH];
        for (byte[] id : ids) {
            random.nextBytes(id);
        }
        progress("groups: " + count + " founders join first");
        for (int g = 0; g < count; g++) {
            fleet.join(connected[from + g * groupSize], ids[g], null, -1);
        }
        Thread.sleep(1_000);
        int joiners = count * (groupSize - 1);
        Phase joins = new Phase(name, joiners);
        return drive(joins, joiners, opRate, i -> {
            int g = i % count;
            int k = 1 + i / count;
            fleet.join(connected[from + g * groupSize + k], ids[g], joins, i);
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
    private Result drive(Phase phase, int count, double perSecond, IntConsumer issue, IntFunction<String> stall)
            throws InterruptedException {
        progress(phase.name() + ": " + count + " at " + fmt(perSecond) + "/s");
        long timeout = (long) (timeoutSeconds * 1e9);
        List<long[]> cpuSamples = new ArrayList<>();
        ProcStats.Sample c0 = cpu();
        long b0 = selfCpu();
        long t0 = System.nanoTime();
        if (c0 != null) {
            cpuSamples.add(new long[] {t0, c0.cpuNanos(), c0.systemNanos()});
        }
        long cutoff = t0 + (long) (count / perSecond * 1e9) + 2 * timeout + 30_000_000_000L;
        long nextReport = t0 + 1_000_000_000L;
        long nextSample = t0 + 100_000_000L;
        long nextExpiry = t0 + 250_000_000L;
        String timedOut = "no outcome within " + fmt(timeoutSeconds) + " s: ";
        int issued = 0;
        int lastOk = 0;
        long lastReportAt = t0;
        ProcStats.Sample lastCpu = c0;
        long lastSelf = b0;
        while (phase.ended() < count) {
            long now = System.nanoTime();
            long allowed = Math.min(count, 1 + (long) ((now - t0) / 1e9 * perSecond));
            while (issued < allowed && issued - phase.ended() < maxPending) {
                issue.accept(issued++);
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
                ProcStats.Sample c = cpu();
                if (c != null) {
                    cpuSamples.add(new long[] {now, c.cpuNanos(), c.systemNanos()});
                }
                nextSample = now + 100_000_000L;
            }
            if (now >= nextReport) {
                ProcStats.Sample c = cpu();
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
            LockSupport.parkNanos(500_000);
        }
        long t1 = System.nanoTime();
        long last = phase.lastSuccessNanos() != 0 ? phase.lastSuccessNanos() : t1;
        long cpuNanos = -1;
        long systemNanos = -1;
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
                ProcStats.Sample c = cpu();
                ProcStats.Sample e = c != null ? c : c0;
                end = new long[] {System.nanoTime(), e.cpuNanos(), e.systemNanos()};
            }
            cpuNanos = end[1] - c0.cpuNanos();
            systemNanos = end[2] - c0.systemNanos();
            window = end[0] - t0;
        }
        Result r = new Result(phase, Math.max(1, last - t0), cpuNanos);
        r.cpuWindowNanos = window;
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
        progress(String.format(Locale.ROOT, "%s done: %d ok, %d failed in %.2f s (last success at %.2f s)", phase.name(),
                phase.succeeded(), phase.failed(), (t1 - t0) / 1e9, (last - t0) / 1e9));
        return r;
    }

    /** Client {@code connected[2i]} asks for client {@code connected[2i + 1]}, for i below {@code count}. */
    private Result introductionPhase(Fleet fleet, int[] connected, int count, double perSecond, String name)
            throws InterruptedException {
        Phase intros = new Phase(name, count);
        double introsBefore = counter("rtmfpd_events_total{event=\"introduction\"}");
        Result intro = drive(intros, count, perSecond,
                i -> fleet.introduce(connected[2 * i], connected[2 * i + 1], intros, i), i -> fleet.peerStage(connected[2 * i]));
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
        long serverCount = -1;
        int held;

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

    /** The soft limit on open files from /proc/self/limits, or -1. */
    private static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                    return parts[0].equals("unlimited") ? -1 : Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    // ---------------------------------------------------------------- output

    private void report(Fleet fleet, List<InetAddress> sources, int bound, Result connect, Result hold, Result join,
                        Result intro, Memory before, Memory held, int heldCount, double idleCpuPerSecond) {
        StringBuilder s = new StringBuilder();
        s.append("\nrtmfpd bench: ").append(url).append(serverPid != null ? " (server pid " + serverPid + ")" : "").append('\n');
        s.append(String.format(Locale.ROOT, "  %d clients (%d bound) on %d source address(es), %d event-loop thread(s) (%s), "
                        + "%s keying, DH group 2; connect rate target %s/s, at most %d pending%s%n",
                clients, bound, sources.size(), threads, fleet.usesEpoll() ? "epoll" : "nio",
                hmacSseq ? "HMAC+SSEQ required (0x07)" : "Flash-like (HMAC/SSEQ on request)", fmt(rate), maxPending,
                warmup > 0 ? ", " + warmup + " warm-up connects first" : ""));
        s.append('\n');
        s.append(String.format(Locale.ROOT, "%-13s %8s %7s %8s %9s %9s %9s %9s %10s %6s %9s %9s %9s%n", "operation", "ok", "failed",
                "time s", "ok/s", "p50 ms", "p99 ms", "max ms", "srv CPU s", "sys %", "µs/op", "net µs/op", "bench µs"));
        long serverHeld = held.sessions > 0 ? held.sessions : heldCount; // other benches may hold sessions too
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
        s.append("  latency: connect = IHello sent to _result received; join = join sent to first member named;\n"
                + "  introduction = connectToPeer to the direct session open. ok/s = ok / (last success - start).\n"
                + "  srv CPU = server utime+stime from the start to " + SETTLE_MILLIS + " ms after the last success;\n"
                + "  sys % = the kernel's share of it (stime: socket calls, and on loopback the receiver's side too);\n"
                + "  µs/op = srv CPU / ok; net = the same less the server's idle CPU measured during the hold (for\n"
                + "  connects: per held session and second, times the session-seconds held in the window);\n"
                + "  bench µs = this process's own CPU time per ok operation over the phase.\n");
        if (intro != null && intro.serverCount >= 0) {
            s.append(String.format(Locale.ROOT, "  the server counted %d introductions (retransmitted IHellos included)%s%n",
                    intro.serverCount, intro.cpuNanos >= 0 && intro.serverCount > 0
                            ? String.format(Locale.ROOT, ": %.2f µs of CPU each", intro.cpuNanos / 1e3 / intro.serverCount) : ""));
        }
        s.append('\n');
        s.append(String.format(Locale.ROOT, "hold: %d sessions%s for %.1f s", heldCount,
                serverHeld != heldCount ? " (the server holds " + serverHeld + ")" : "", hold.wallNanos / 1e9));
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

    private String cpuPercent(ProcStats.Sample from, ProcStats.Sample to, double seconds) {
        if (from == null || to == null) {
            return "";
        }
        return String.format(Locale.ROOT, ", server CPU %.0f %%", (to.cpuNanos() - from.cpuNanos()) / 1e7 / seconds);
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

    private static String hostForUrl(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
