package org.rtmfpd.natlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.rtmfpd.cli.Main;
import org.rtmfpd.natlab.LabPeer.Meeting;

/**
 * The traversal matrix (docs/nat.md): real rtmfpd servers and peers in a lab of Linux NATs. For every
 * ordered pair of NAT kinds (target, initiator) and for the special cases (one LAN with and without
 * hairpinning, double NAT behind a carrier-grade NAT, the server behind a port forward, IPv6 behind
 * stateful firewalls), the initiator asks the server for the target's peer ID and the test checks that a
 * direct session opens exactly where RFC 7016's Redirect and Forwarded IHello allow it, and that it does
 * not where theory forbids it. Writes the matrix with times to {@code target/natlab/matrix.md}.
 */
@Tag("natlab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatLabTest {
    static final String KEY = "natlab-key";
    /** Tries of a cell that theory allows; one for a cell it forbids. */
    static final int TRIES = 3;
    static final long MEET_MILLIS = 8_000;
    static final long FORBIDDEN_MEET_MILLIS = 6_000;
    /** How long the outcome test's initiators try (as Flash, longer than the server's 15 s window), and ask. */
    static final long OUTCOME_TRY_MILLIS = 30_000;
    static final long OUTCOME_ASK_MILLIS = 20_000;
    /** How long the lab's servers and peer processes may take to start, on a loaded machine. */
    static final long START_MILLIS = 180_000;

    static final String TOPOLOGY = """
            internet 198.18.0.0/24 2001:db8::/64
            host   server  on internet 198.18.0.10,198.18.0.11,2001:db8::10
            host   pub1    on internet 198.18.0.101
            host   pub2    on internet 198.18.0.102
            router cone1   full-cone       on internet wan 198.18.0.21 lan 10.21.0.0/24
            host   cone1h  on cone1 10.21.0.2
            router cone2   full-cone       on internet wan 198.18.0.22 lan 10.22.0.0/24
            host   cone2h  on cone2 10.22.0.2
            router home1   port-restricted on internet wan 198.18.0.31,2001:db8::31 lan 10.31.0.0/24,2001:db8:31::/64
            host   home1h  on home1 10.31.0.2,2001:db8:31::2
            host   home1h2 on home1 10.31.0.3
            router home2   port-restricted on internet wan 198.18.0.32,2001:db8::32 lan 10.32.0.0/24,2001:db8:32::/64
            host   home2h  on home2 10.32.0.2,2001:db8:32::2
            router sym1    symmetric       on internet wan 198.18.0.41 lan 10.41.0.0/24
            host   sym1h   on sym1 10.41.0.2
            router sym2    symmetric       on internet wan 198.18.0.42 lan 10.42.0.0/24
            host   sym2h   on sym2 10.42.0.2
            # one LAN whose router hairpins (NAT loopback): its hosts' peers bind these ports
            router hair    port-restricted on internet wan 198.18.0.51 lan 10.51.0.0/24 hairpin
            host   hair1   on hair 10.51.0.2 ports 41000-41999
            host   hair2   on hair 10.51.0.3 ports 42000-42999
            # double NAT: two home routers behind one carrier-grade NAT that hairpins (RFC 6888 REQ-9)
            router cgn     port-restricted on internet wan 198.18.0.61 lan 100.64.0.0/24 hairpin
            router dbl1    port-restricted on cgn wan 100.64.0.2 lan 192.168.1.0/24 ports 43000-43999
            host   dbl1h   on dbl1 192.168.1.2 ports 43000-43999
            router dbl2    port-restricted on cgn wan 100.64.0.3 lan 192.168.2.0/24 ports 44000-44999
            host   dbl2h   on dbl2 192.168.2.2 ports 44000-44999
            # rtmfpd behind a port-forwarding home router, one peer on its LAN
            router srvgw   port-restricted on internet wan 198.18.0.71 lan 10.71.0.0/24 forward 1935 10.71.0.10
            host   natsrv  on srvgw 10.71.0.10
            host   srvlan  on srvgw 10.71.0.20
            """;

    /** The public server's second STUN address (RFC 5780): another IP, another port. */
    static final String STUN_ALTERNATE = "198.18.0.11:1936";
    static final String METRICS = "198.18.0.10:9100";
    /** The HTTP listener of the name registry and of the NAT check page. */
    static final String REGISTRY = "198.18.0.10:8080";
    /** coturn's turnserver beside it, on both addresses, the reference RFC 5780 server. */
    static final int TURNSERVER_PORT = 3478;
    static final String PUBLIC_SERVER = "rtmfp://198.18.0.10:1935/" + KEY;
    static final String PUBLIC_SERVER_V6 = "rtmfp://[2001:db8::10]:1935/" + KEY;
    static final String NATTED_SERVER_OUTSIDE = "rtmfp://198.18.0.71:1935/" + KEY;
    static final String NATTED_SERVER_INSIDE = "rtmfp://10.71.0.10:1935/" + KEY;

    /** The NAT kinds of the matrix, and the two hosts of each (target first). */
    static final Map<String, List<String>> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("no NAT", List.of("pub1", "pub2"));
        KINDS.put("full cone", List.of("cone1h", "cone2h"));
        KINDS.put("port-restricted", List.of("home1h", "home2h"));
        KINDS.put("symmetric", List.of("sym1h", "sym2h"));
    }

    static Lab lab;
    static final Map<String, LabProcess> agents = new HashMap<>();
    static final Map<String, AtomicInteger> ports = new HashMap<>();
    static final AtomicInteger clients = new AtomicInteger();
    static final List<String> rows = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void build() throws Exception {
        LabRequirement.check();
        Path dir = Path.of("target", "natlab");
        lab = Lab.build(LabTopology.parse(TOPOLOGY), dir);
        List<LabProcess> servers = startServers(lab, dir);
        for (String host : lab.topology.hosts().keySet()) {
            if (!host.equals("server") && !host.equals("natsrv")) {
                agents.put(host, lab.java(host, "agent-" + host, List.of(), LabPeerAgent.class.getName(), List.of()));
            }
        }
        for (LabProcess server : servers) {
            server.await(l -> l.contains("server fingerprint"), START_MILLIS);
        }
        for (LabProcess agent : agents.values()) {
            agent.await(l -> l.equals("agent ready"), START_MILLIS);
        }
    }

    /**
     * Starts the lab's two rtmfpd servers: {@code server} on the internet (IPv4 and IPv6), and
     * {@code natsrv} behind the port-forwarding router {@code srvgw}, advertising its public address.
     */
    static List<LabProcess> startServers(Lab lab, Path dir) throws Exception {
        Path keys = dir.resolve("developer-keys.conf");
        Files.writeString(keys, KEY + "\n");
        Path logging = dir.resolve("server-logback.xml");
        Files.writeString(logging, SERVER_LOGGING);
        Path config = dir.resolve("server.conf");
        Files.writeString(config, "log-config = " + logging.toAbsolutePath() + "\n");
        LabProcess server = lab.java("server", "server", List.of(), Main.class.getName(), List.of("serve", "--config",
                config.toString(), "--developer-keys", keys.toString(), "--listen", "198.18.0.10:1935",
                "--listen", "[2001:db8::10]:1935", "--stun-alternate", STUN_ALTERNATE,
                "--metrics-listen", METRICS, "--registry-listen", REGISTRY));
        LabProcess natted = lab.java("natsrv", "natsrv", List.of(), Main.class.getName(), List.of("serve", "--config",
                config.toString(), "--developer-keys", keys.toString(), "--listen", "0.0.0.0:1935",
                "--advertise", "198.18.0.71:1935"));
        return List.of(server, natted);
    }

    /** The servers log their INFO lines to standard output, where the test waits for the start-up line. */
    static final String SERVER_LOGGING = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
              </appender>
              <logger name="io.netty" level="WARN"/>
              <logger name="org.rtmfpd" level="INFO"/>
              <root level="WARN"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    @AfterAll
    static void remove() throws Exception {
        if (lab == null) {
            return;
        }
        lab.close();
        List<String> left = lab.present();
        Path dir = Path.of("target", "natlab");
        Files.write(dir.resolve("matrix.md"), rows, StandardCharsets.UTF_8);
        rows.forEach(System.out::println);
        assertEquals(List.of(), left, "the lab left namespaces behind");
    }

    // ---------------------------------------------------------------- the matrix

    @Test
    @Order(1)
    void everyPairOfNatKinds() {
        rows.add("| target \\ initiator | " + String.join(" | ", KINDS.keySet()) + " |");
        rows.add("|---|" + "---|".repeat(KINDS.size()));
        List<String> failures = new ArrayList<>();
        for (String targetKind : KINDS.keySet()) {
            StringBuilder row = new StringBuilder("| **" + targetKind + "** |");
            for (String initiatorKind : KINDS.keySet()) {
                String target = KINDS.get(targetKind).get(0);
                String initiator = KINDS.get(initiatorKind).get(initiatorKind.equals(targetKind) ? 1 : 0);
                boolean allowed = Theory.allows(targetKind, initiatorKind);
                String cell = cell(targetKind + " <- " + initiatorKind, target, PUBLIC_SERVER, initiator,
                        PUBLIC_SERVER, "0.0.0.0", true, allowed, failures);
                row.append(' ').append(cell).append(" |");
            }
            rows.add(row.toString());
        }
        rows.add("");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    @Order(2)
    void specialCases() {
        rows.add("| case | theory | result |");
        rows.add("|---|---|---|");
        List<String> failures = new ArrayList<>();
        special("one LAN, no hairpinning, addresses reported (setPeerInfo)", "home1h", PUBLIC_SERVER,
                "home1h2", PUBLIC_SERVER, "0.0.0.0", true, true, failures);
        special("one LAN, no hairpinning, no addresses reported", "home1h", PUBLIC_SERVER,
                "home1h2", PUBLIC_SERVER, "0.0.0.0", false, false, failures);
        special("one LAN, hairpinning router, addresses reported", "hair1", PUBLIC_SERVER,
                "hair2", PUBLIC_SERVER, "0.0.0.0", true, true, failures);
        special("one LAN, hairpinning router, no addresses reported", "hair1", PUBLIC_SERVER,
                "hair2", PUBLIC_SERVER, "0.0.0.0", false, true, failures);
        special("double NAT: two home NATs behind one carrier-grade NAT", "dbl1h", PUBLIC_SERVER,
                "dbl2h", PUBLIC_SERVER, "0.0.0.0", true, true, failures);
        special("server behind a port forward: outside peer introduced to a peer on the server's LAN",
                "srvlan", NATTED_SERVER_INSIDE, "home2h", NATTED_SERVER_OUTSIDE, "0.0.0.0", true, true, failures);
        special("server behind a port forward: peer on the server's LAN introduced to an outside peer",
                "home2h", NATTED_SERVER_OUTSIDE, "srvlan", NATTED_SERVER_INSIDE, "0.0.0.0", true, true, failures);
        special("IPv6, no NAT, a stateful firewall on each side", "home1h", PUBLIC_SERVER_V6,
                "home2h", PUBLIC_SERVER_V6, "[::]", true, true, failures);
        rows.add("");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * A NetGroup whose members sit behind different NAT kinds: each joiner is given members by the server
     * (at most the peer cap) and asks for a session with each of them at once, as Flash does. Who meets whom
     * must follow the matrix.
     */
    @Test
    @Order(3)
    void netGroupAcrossNatKinds() throws Exception {
        List<String> hosts = List.of("pub1", "cone1h", "home1h", "home2h", "sym1h", "sym2h");
        String group = java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(32));
        Map<String, String> hostOfPeer = new HashMap<>();
        List<LabPeer> members = new ArrayList<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        int lastGiven = 0;
        rows.add("| joiner | given by the server | met directly | not met |");
        rows.add("|---|---|---|---|");
        for (String host : hosts) {
            LabPeer joiner = peer(host).connect(bind(host, "0.0.0.0"), PUBLIC_SERVER, true);
            hostOfPeer.put(joiner.peerId(), host);
            List<String> given = joiner.join(group, 1_000);
            lastGiven = given.size();
            List<java.util.concurrent.CompletableFuture<String>> meetings = new ArrayList<>();
            for (String id : given) {
                LabPeer member = members.stream().filter(m -> m.peerId().equals(id)).findFirst().orElseThrow(
                        () -> new AssertionError(host + " was given a peer that never joined: " + id));
                boolean allowed = Theory.allows(kindOf(member.host), kindOf(host));
                meetings.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    Meeting m = joiner.meet(member, allowed ? MEET_MILLIS : FORBIDDEN_MEET_MILLIS);
                    if (m.met() != allowed) {
                        failures.add(host + " -> " + member.host + ": theory says " + (allowed ? "direct" : "none")
                                + ", got " + (m.met() ? "direct" : "none (" + m.detail() + ")"));
                    }
                    return (m.met() ? "+" : "-") + member.host;
                }));
            }
            List<String> met = new ArrayList<>();
            List<String> notMet = new ArrayList<>();
            for (var f : meetings) {
                String r = f.get();
                (r.startsWith("+") ? met : notMet).add(r.substring(1) + " (" + kindOf(r.substring(1)) + ")");
            }
            rows.add("| " + host + " (" + kindOf(host) + ") | " + given.size() + " | " + String.join(", ", met)
                    + " | " + String.join(", ", notMet) + " |");
            members.add(joiner);
        }
        rows.add("");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(5, lastGiven, "the last joiner is given the peer cap's worth of members");
    }

    /**
     * RFC 5780 behaviour discovery on the server's own port, behind each NAT kind: coturn's
     * {@code turnutils_natdiscovery} gives the same mapping and filtering lines against rtmfpd as against
     * coturn's own {@code turnserver} with two addresses, and {@code rtmfpd probe --nat} classifies the NAT
     * as its kind is built.
     */
    @Test
    @Order(4)
    void natBehaviourDiscoveryBehindEveryKind() throws Exception {
        boolean coturn = Shell.attempt(List.of("turnutils_natdiscovery"), null) != null
                || Shell.lastError.get().contains("Usage");
        if (!coturn) {
            LabRequirement.missing("coturn (turnutils_natdiscovery, turnserver) is not installed: the comparison with"
                    + " the reference RFC 5780 server is left out; apt-get install -y coturn", false);
        }
        LabProcess turnserver = coturn ? lab.process("server", "turnserver", List.of("turnserver", "-n", "--no-cli",
                "-L", "198.18.0.10", "-L", "198.18.0.11", "--listening-port", String.valueOf(TURNSERVER_PORT),
                "--alt-listening-port", String.valueOf(TURNSERVER_PORT + 1), "--no-tcp", "--no-tls", "--no-dtls",
                "-z", "--log-file", "stdout", "--simple-log")) : null;
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("pub1", List.of("nat: none", "mapping: endpoint-independent", "filtering: endpoint-independent"));
        expected.put("cone1h", List.of("nat: present", "mapping: endpoint-independent", "filtering: endpoint-independent"));
        expected.put("home1h", List.of("nat: present", "mapping: endpoint-independent", "filtering: address and port-dependent"));
        expected.put("sym1h", List.of("nat: present", "mapping: address and port-dependent", "filtering: address and port-dependent"));
        rows.add("| host (NAT kind) | rtmfpd probe --nat | natdiscovery against rtmfpd | natdiscovery against turnserver |");
        rows.add("|---|---|---|---|");
        List<String> failures = new ArrayList<>();
        for (var e : expected.entrySet()) {
            String host = e.getKey();
            LabProcess probe = lab.java(host, "probe-" + host, List.of(), Main.class.getName(),
                    List.of("probe", "--nat", PUBLIC_SERVER));
            List<String> said = probe.finish(START_MILLIS).lines().stream().map(String::strip).toList();
            List<String> verdict = said.stream()
                    .filter(l -> l.matches("nat: (none|present|unknown)|(mapping|filtering): .*")).toList();
            if (!verdict.containsAll(e.getValue())) {
                failures.add(host + ": probe --nat said " + verdict + ", expected " + e.getValue());
            }
            String against = "";
            String reference = "";
            if (coturn) {
                against = natdiscovery(host, 1935);
                reference = natdiscovery(host, TURNSERVER_PORT);
                if (!against.equals(reference)) {
                    failures.add(host + ": natdiscovery against rtmfpd said '" + against + "', against turnserver '"
                            + reference + "'");
                }
            }
            rows.add("| " + host + " (" + kindOf(host) + ") | " + String.join("; ", verdict)
                    + " | " + against + " | " + reference + " |");
        }
        rows.add("");
        if (turnserver != null) {
            turnserver.close();
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * The P2P outcome of introductions as the server sees it (docs/nat.md): a pair whose peers can meet
     * ends {@code settled}, one that cannot ({@code symmetric} initiator, port-restricted target) ends
     * {@code unsettled}, its initiator still asking when the 15 s window closes, as Flash's does.
     */
    @Test
    @Order(5)
    void introductionOutcomesAsTheServerSeesThem() throws Exception {
        Map<String, Double> before = pairs();
        LabPeer target = peer("home1h").connect(bind("home1h", "0.0.0.0"), PUBLIC_SERVER, true);
        LabPeer meets = peer("home2h").connect(bind("home2h", "0.0.0.0"), PUBLIC_SERVER, true, OUTCOME_TRY_MILLIS);
        LabPeer keepsAsking = peer("sym1h").connect(bind("sym1h", "0.0.0.0"), PUBLIC_SERVER, true, OUTCOME_TRY_MILLIS);
        var stuck = java.util.concurrent.CompletableFuture.supplyAsync(() -> keepsAsking.meet(target, OUTCOME_ASK_MILLIS));
        assertTrue(meets.meet(target, MEET_MILLIS).met(), "port-restricted peers meet");
        assertTrue(!stuck.get().met(), "a symmetric initiator cannot meet a port-restricted target");
        Map<String, Double> after = pairs();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (after.get("unsettled") - before.get("unsettled") < 1 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            after = pairs();
        }
        double settled = after.get("settled") - before.get("settled");
        double unsettled = after.get("unsettled") - before.get("unsettled");
        rows.add("| introduction outcomes (settled, unsettled) | port-restricted to port-restricted, symmetric to "
                + "port-restricted | " + (long) settled + ", " + (long) unsettled + " |");
        rows.add("");
        assertEquals(1, unsettled, "the symmetric initiator's pair is unsettled: " + after);
        assertTrue(settled >= 1, "the port-restricted initiator's pair is settled (earlier tests' pairs may be"
                + " decided meanwhile): " + after);
        for (LabPeer p : List.of(meets, keepsAsking, target)) {
            p.close();
        }
    }

    /**
     * The NAT check page in a real browser behind two NATs: headless Chromium in a lab host behind a
     * port-restricted router (endpoint-independent mapping) and behind a symmetric one, its WebRTC
     * gathering from rtmfpd's STUN addresses, shows the two different verdicts (read from the DOM).
     */
    @Test
    @Order(6)
    void checkPageInABrowserBehindTwoKindsOfNat() throws Exception {
        if (!java.nio.file.Files.isExecutable(org.rtmfpd.testing.CheckPageBrowser.CHROMIUM)) {
            LabRequirement.missing("chromium is not installed: the check page is not tried in the lab;"
                    + " apt-get install -y chromium", true);
        }
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("home1h", List.of("EIM", "mapping: endpoint-independent", "p2p with common home routers: expected"));
        expected.put("sym1h", List.of("APDM", "mapping: address and port-dependent",
                "p2p with common home routers: not expected"));
        rows.add("| browser in (NAT kind) | page's case | page's mapping line | page's verdict |");
        rows.add("|---|---|---|---|");
        List<String> failures = new ArrayList<>();
        for (var e : expected.entrySet()) {
            String host = e.getKey();
            Path work = Path.of("target", "natlab", "chromium-" + host).toAbsolutePath();
            Path shot = Path.of("target", "natlab", "check-page-" + host + ".png").toAbsolutePath();
            LabProcess browser = lab.java(host, "chromium-" + host, List.of(),
                    org.rtmfpd.testing.CheckPageBrowser.class.getName(),
                    List.of("http://" + REGISTRY + "/check", work.toString(), shot.toString()));
            Map<String, String> dom = new HashMap<>();
            for (String line : browser.finish(START_MILLIS).lines()) {
                if (line.startsWith("dom ") && line.contains("=")) {
                    dom.put(line.substring(4, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                }
            }
            String verdict = dom.getOrDefault("verdict", "");
            if (!e.getValue().get(0).equals(dom.get("case")) || !verdict.contains(e.getValue().get(1))
                    || !verdict.contains(e.getValue().get(2))) {
                failures.add(host + ": the page said " + dom + ", expected " + e.getValue());
            }
            String mapping = verdict.replace("\\n", "\n").lines().filter(l -> l.startsWith("mapping:")).findFirst().orElse("");
            String p2p = verdict.replace("\\n", "\n").lines().filter(l -> l.startsWith("p2p")).findFirst().orElse("");
            rows.add("| " + host + " (" + kindOf(host) + ") | " + dom.get("case") + " | " + mapping + " | " + p2p + " |");
        }
        rows.add("");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** The server's rtmfpd_introduction_pairs_total by outcome, read from its metrics endpoint inside the lab. */
    private static Map<String, Double> pairs() {
        String text = Shell.run(Shell.in(lab.namespace("pub1"), "curl", "-sf", "http://" + METRICS + "/metrics"), null);
        Map<String, Double> out = new HashMap<>();
        for (String outcome : List.of("settled", "unsettled")) {
            String prefix = "rtmfpd_introduction_pairs_total{outcome=\"" + outcome + "\"} ";
            out.put(outcome, text.lines().filter(l -> l.startsWith(prefix))
                    .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).strip())).sum());
        }
        return out;
    }

    /** coturn's natdiscovery's mapping and filtering verdicts from {@code host} against port {@code port} of the server. */
    private static String natdiscovery(String host, int port) {
        String out = Shell.run(Shell.in(lab.namespace(host), "turnutils_natdiscovery", "-m", "-f", "-p",
                String.valueOf(port), "198.18.0.10"), null);
        return out.lines().map(String::strip).filter(l -> l.endsWith("Mapping!") || l.endsWith("Filtering!")
                || l.startsWith("No NAT")).collect(java.util.stream.Collectors.joining("; "));
    }

    private static String kindOf(String host) {
        return KINDS.entrySet().stream().filter(e -> e.getValue().contains(host)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException(host + " is in no matrix kind"));
    }

    // ---------------------------------------------------------------- running a cell

    private void special(String name, String target, String targetUrl, String initiator, String initiatorUrl,
            String bindHost, boolean report, boolean allowed, List<String> failures) {
        String result = cell(name, target, targetUrl, initiator, initiatorUrl, bindHost, report, allowed, failures);
        rows.add("| " + name + " | " + (allowed ? "direct" : "no direct session") + " | " + result + " |");
    }

    /**
     * Runs one cell: a new target and initiator client a try, the initiator asks for the target. Adds to
     * {@code failures} when the outcome differs from theory; returns the matrix's text for the cell.
     */
    private static String cell(String name, String target, String targetUrl, String initiator, String initiatorUrl,
            String bindHost, boolean report, boolean allowed, List<String> failures) {
        int tries = allowed ? TRIES : 1;
        List<Long> times = new ArrayList<>();
        int met = 0;
        String detail = "";
        for (int i = 0; i < tries; i++) {
            LabPeer t = peer(target).connect(bind(target, bindHost), targetUrl, report);
            LabPeer in = peer(initiator).connect(bind(initiator, bindHost), initiatorUrl, report);
            Meeting m = in.meet(t, allowed ? MEET_MILLIS : FORBIDDEN_MEET_MILLIS);
            if (m.met()) {
                met++;
                times.add(m.millis());
            } else {
                detail = m.detail();
            }
            in.close();
            t.close();
        }
        if (allowed && met != tries) {
            failures.add(name + ": theory allows a direct session, " + met + " of " + tries + " tries met (" + detail + ")");
        }
        if (!allowed && met != 0) {
            failures.add(name + ": theory forbids a direct session, yet one opened");
        }
        if (met == 0) {
            return allowed ? "**FAILS** (expected direct)" : "no (as expected)";
        }
        Collections.sort(times);
        String text = "direct, " + times.get(times.size() / 2) + " ms median, " + times.get(times.size() - 1) + " ms worst";
        return allowed ? text + (met < tries ? " (" + met + "/" + tries + ")" : "") : "**direct, unexpected**";
    }

    private static LabPeer peer(String host) {
        return new LabPeer(agents.get(host), host, "c" + clients.incrementAndGet());
    }

    private static String bind(String host, String bindHost) {
        return lab.topology.hosts().get(host).ports()
                .map(p -> bindHost + ":" + (p.first() + ports.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement()))
                .orElse(bindHost + ":0");
    }
}
