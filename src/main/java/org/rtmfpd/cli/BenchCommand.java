package org.rtmfpd.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rtmfpd.cli.bench.Bench;
import org.rtmfpd.cli.bench.LoopbackAddresses;
import org.rtmfpd.cli.bench.ServerProbe;
import org.rtmfpd.cli.bench.ServerProcess;
import org.rtmfpd.cli.bench.Soak;
import org.rtmfpd.cli.bench.SoakReport;
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
                "", "A cluster (rtmfpd serve --cluster-redis): --target-server NODE2 sends the introductions' targets (the odd "
                + "client slots below 2 x --pairs) to a second node; every other client, the initiators included, connects "
                + "to --server, and --metrics reads that node. Give --server-pid once per node (and once for redis-server if "
                + "wanted), e.g. --server-pid 4242:node-1 --server-pid 4243:node-2: each phase's server CPU is their sum, and "
                + "the report gives each one's share.",
                "", "Soak (--soak MINUTES): after a ramp to --clients (default 5000 with --soak) at --rate, steady churn: "
                + "--churn connects and as many closes a second, --soak-introductions, --soak-joins and as many leaves, "
                + "a --lossy share of the new clients dropping --loss of their datagrams both ways (their failures are "
                + "counted apart, as injected). One line a minute: operations, the server's heap after GC, RSS, descriptors "
                + "and threads; then a verdict. Needs --server-pid and --metrics. rtmfpd admits at most 20 IIKeyings a second "
                + "(bursts of 40) and 4 handshakes at a time from one source address: the default --source-addresses "
                + "spreads the clients over 250; for more, give a wider range (127.0.1.1-127.0.4.255) or raise "
                + "--iikeyings-per-second-per-source and --max-handshakes-per-source on the server."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every operation succeeded; a soak: no operation failed that was not injected, "
                + "and the server's heap, descriptors and threads stayed flat",
            "1:the bench could not run", "2:operations failed (refused by the server, or no outcome in time: the report "
                + "says which); a soak: operations failed that were not injected",
            "3:a soak: no such failure, but the server's heap, descriptors or threads grew", "64:invalid arguments"})
public final class BenchCommand implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int OPERATIONS_FAILED = Bench.OPERATIONS_FAILED;
    public static final int SOAK_GREW = 3;
    public static final int USAGE = 64;
    private static final int SOAK_DEFAULT_CLIENTS = 5000;
    /**
     * The clients' sources when none are given: 250 addresses, so that --rate 1000 is 4 IIKeyings a second
     * and --max-pending 500 two handshakes at a time per address, under rtmfpd's per-source defaults.
     */
    static final String DEFAULT_IPV4_SOURCES = "127.0.1.1-127.0.1.250";
    private static final int MAX_CLIENTS = 1_000_000;

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

    @Option(names = "--intro-rounds", paramLabel = "N", defaultValue = "1",
            description = "Introductions per pair's initiator: in round r, initiator k asks for target k + r (of the P "
                    + "pairs, round the list), so P x N introductions in all. Past the peer cap (default 5) they are refused: "
                    + "give the bench's developer key a larger peer-cap= (default: ${DEFAULT-VALUE}).")
    int introRounds;

    @Option(names = "--intro-until", paramLabel = "session|forward", defaultValue = "session",
            description = "When an introduction ends: 'session', the direct session of the two peers is open (as an "
                    + "application sees it: two Diffie-Hellman agreements in the bench); 'forward', the initiator has the "
                    + "Redirect and the target the Forwarded IHello, nothing more (the server's whole part, at a few µs of "
                    + "the bench's CPU) (default: ${DEFAULT-VALUE}).")
    String introUntil;

    @Option(names = "--intro-rate", paramLabel = "R", description = "Introductions and joins started per second (default: --rate).")
    Double introRate;

    @Option(names = "--groups", paramLabel = "G", defaultValue = "0",
            description = "NetGroups to join (rtmfpd's GC flow; tcserver has none) (default: ${DEFAULT-VALUE}).")
    int groups;

    @Option(names = "--group-size", paramLabel = "S", defaultValue = "10", description = "Clients joining each group (default: ${DEFAULT-VALUE}).")
    int groupSize;

    @Option(names = "--server-pid", paramLabel = "PID[:NAME]",
            description = "The server's process: CPU time from /proc/PID/stat (utime+stime), memory from VmRSS of /proc/PID/status. "
                    + "Repeatable: the server CPU of a phase is then the sum over the processes (a cluster's nodes, and "
                    + "its redis-server if wanted), and the report gives each one's share, under NAME if given; memory, "
                    + "threads, descriptors and jcmd are the first one's, the --server's.")
    List<String> serverPidSpecs;

    @Option(names = "--target-server", paramLabel = "HOST:PORT",
            description = "Another server, on a loopback address (a second cluster node): the targets of the introductions "
                    + "(the odd client slots below 2 x --pairs) connect to it instead of --server, so that each "
                    + "introduction crosses from one node to the other. Needs --pairs.")
    String targetServerSpec;

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

    @Option(names = "--derived-client-keys", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "The clients' static DH keys (group 2) derived from one random exponent, x0 + 1, x0 + 2, ..., so "
                    + "that making them costs a doubling each and a connect's agreement a 20-bit exponentiation instead of a "
                    + "160-bit one (the server's key's power of x0 is kept). The server sees ordinary distinct keys and peer "
                    + "IDs and does its usual work; the keys share their secret: a bench's simulated clients only, never "
                    + "a real client's. --no-derived-client-keys: an independent random key each (default: on).")
    boolean derivedClientKeys;

    @Option(names = "--source-addresses", paramLabel = "LIST",
            description = "Loopback addresses the clients' sockets bind to, in turn: a list and FIRST-LAST ranges, "
                    + "e.g. 127.0.0.2-127.0.0.50. Each address has about 28,000 ephemeral ports (default: "
                    + DEFAULT_IPV4_SOURCES + " for an IPv4 server, so that a server on its defaults (20 IIKeyings a "
                    + "second and 4 handshakes at a time per source address) takes --rate 1000; ::1 for ::1).")
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
    private InetSocketAddress server;
    private URI url;
    private InetSocketAddress targetServer;
    private URI targetUrl;
    private List<ServerProcess> serverProcesses = List.of();
    private Long serverPid;
    private long startedAt;

    @Override
    public Integer call() {
        startedAt = System.nanoTime();
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        List<InetAddress> sources;
        try {
            server = LoopbackAddresses.server(serverSpec, 1935);
            sources = LoopbackAddresses.sources(sourceSpec != null ? sourceSpec : defaultSources(server));
            serverProcesses = ServerProcess.parseAll(serverPidSpecs);
            serverPid = serverProcesses.isEmpty() ? null : serverProcesses.get(0).pid();
            if (targetServerSpec != null) {
                targetServer = LoopbackAddresses.server(targetServerSpec, 1935);
            }
            validate();
            url = urlOf(server);
            targetUrl = targetServer != null ? urlOf(targetServer) : null;
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
        probe = new ServerProbe(serverProcesses, metricsUrl != null ? URI.create(metricsUrl) : null, jcmdGc, this::progress);
        if (serverPid != null) {
            try {
                probe.checkProcess();
            } catch (IOException | RuntimeException e) {
                err.println("bench: cannot read " + e.getMessage());
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
            Bench.Settings settings = new Bench.Settings(clients, rate, maxPending, holdSeconds, pairs, introRounds,
                    "forward".equals(introUntil), introRate, groups,
                    groupSize, serverProcesses, metricsUrl, jcmdGc, hmacSseq, threads, warmup, awaitSessions, timeoutSeconds,
                    targetUrl, targetServer, derivedClientKeys);
            return new Bench(settings, url, server, probe, out, err).run(sources);
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
        if (serverProcesses.size() > 1 || targetServer != null) {
            throw new IllegalArgumentException("--soak loads one server: one --server-pid and no --target-server");
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
            return outcome.failed() > 0 ? OPERATIONS_FAILED : outcome.flat() ? OK : SOAK_GREW;
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
        if (introRounds < 1 || (pairs > 0 && introRounds > pairs)) {
            throw new IllegalArgumentException("--intro-rounds must be 1..--pairs (each round pairs an initiator with another target)");
        }
        if (!introUntil.equals("session") && !introUntil.equals("forward")) {
            throw new IllegalArgumentException("--intro-until is 'session' or 'forward', not '" + introUntil + "'");
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
        if (targetServer != null && soakMinutes == null) {
            if (pairs < 1) {
                throw new IllegalArgumentException("--target-server needs --pairs: only the introductions' targets connect there");
            }
            if (targetServer.equals(server)) {
                throw new IllegalArgumentException("--target-server is --server: leave it out for same-server introductions");
            }
        }
    }

    /** {@link #DEFAULT_IPV4_SOURCES} for an IPv4 server, ::1 for an IPv6 one. */
    static String defaultSources(InetSocketAddress server) {
        return server.getAddress() instanceof java.net.Inet6Address ? "::1" : DEFAULT_IPV4_SOURCES;
    }

    private URI urlOf(InetSocketAddress address) {
        return URI.create("rtmfp://" + hostForUrl(address) + ":" + address.getPort() + "/" + key);
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

    private void progress(String line) {
        err.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - startedAt) / 1e9, line);
        err.flush();
    }

    private static String hostForUrl(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
