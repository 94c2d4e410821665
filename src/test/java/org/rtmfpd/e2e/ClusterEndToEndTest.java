package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.e2e.TestServer.eventually;
import static org.rtmfpd.e2e.TestServer.meet;
import static org.rtmfpd.e2e.TestServer.refused;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.client.GroupMembership;
import org.rtmfpd.client.PeerSession;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.cluster.ClusterSettings;
import org.rtmfpd.cluster.RedisTestServer;
import org.rtmfpd.config.ServerConfig;

/**
 * Cluster mode over real UDP on 127.0.0.1: several rtmfpd nodes sharing one redis-server of the test's
 * own, and the project's clients, each connected to one node. Each test has its own namespace, so they
 * share the Redis without seeing each other.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterEndToEndTest {
    @RegisterExtension
    static final RedisTestServer REDIS = new RedisTestServer();

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long WAIT = 15;
    private static final Duration REFUSED_WAIT = Duration.ofSeconds(3);
    private static final int NODE_LIFETIME_MS = 2_000;

    @TempDir
    Path dir;
    final String namespace = "e2e" + HexFormat.of().formatHex(RANDOM.generateSeed(4));
    final List<TestServer> nodes = new ArrayList<>();
    final List<RtmfpClient> clients = new ArrayList<>();
    Process external;

    @AfterEach
    void stop() {
        clients.forEach(RtmfpClient::close);
        nodes.forEach(TestServer::close);
        if (external != null) {
            external.destroyForcibly();
        }
    }

    private ClusterSettings cluster(String node) {
        return ClusterSettings.DEFAULTS.withRedis(java.util.Optional.of(REDIS.uri())).withNamespace(namespace)
                .withNodeId(java.util.Optional.of(node)).withNodeLifetimeMs(NODE_LIFETIME_MS);
    }

    /** Node {@code n} of the cluster, in this process, once it decides with the cluster. */
    private TestServer node(int n) throws Exception {
        Path home = Files.createDirectories(dir.resolve("node-" + n));
        TestServer node = new TestServer(home, ServerConfig.builder().cluster(cluster("node-" + n)),
                WarpClock.REAL_TIME);
        nodes.add(node);
        assertTrue(eventually(() -> node.server.metrics().render().contains("rtmfpd_cluster_store_up 1")),
                "node " + n + " joined the cluster");
        return node;
    }

    private RtmfpClient on(TestServer node, String key) throws Exception {
        return node.connected(key, Duration.ofSeconds(10), clients);
    }

    private RtmfpClient on(TestServer node, String key, Duration openTimeout) throws Exception {
        return node.connected(key, openTimeout, clients);
    }

    @Test
    void clientsOfTwoNodesMeetByPeerIdAndOpenADirectSession() throws Exception {
        TestServer one = node(1);
        TestServer two = node(2);
        RtmfpClient a = on(one, TestServer.KEY_A);
        RtmfpClient b = on(two, TestServer.KEY_A);
        PeerSession session = meet(a, b);
        assertEquals(b.identity().peerIdHex(), session.peerIdHex());
        assertEquals(b.localAddress().getPort(), session.address().getPort(), "at the target's own address");
        assertTrue(eventually(() -> b.peers().join().stream().anyMatch(p -> !p.initiatedHere())),
                "the target, told by its own node, holds the session too");
        assertEquals(1, one.server.metrics().counted("introduction"), "node 1 sent the Redirect");
        PeerSession back = meet(b, a);
        assertEquals(a.identity().peerIdHex(), back.peerIdHex(), "and the other way round");
    }

    @Test
    void aPeerIdConnectingToASecondNodeReplacesItsSessionOnTheFirst() throws Exception {
        TestServer one = node(1);
        TestServer two = node(2);
        ClientIdentity identity = ClientIdentity.generate(RANDOM);
        RtmfpClient first = RtmfpClient.open(identity, ClientSettings.FLASH_LIKE);
        clients.add(first);
        assertEquals("NetConnection.Connect.Success",
                first.connect(one.url(TestServer.KEY_A)).get(WAIT, TimeUnit.SECONDS).get("code"));
        assertEquals(1, one.sessions());
        RtmfpClient second = RtmfpClient.open(identity, ClientSettings.FLASH_LIKE);
        clients.add(second);
        assertEquals("NetConnection.Connect.Success",
                second.connect(two.url(TestServer.KEY_A)).get(WAIT, TimeUnit.SECONDS).get("code"));
        assertTrue(eventually(() -> closed(one) == 1), "node 1 closed the older session when told by node 2");
        RtmfpClient a = on(one, TestServer.KEY_A);
        second.setPeerInfo(List.of(second.localAddress())).get(WAIT, TimeUnit.SECONDS);
        assertEquals(second.localAddress().getPort(), meet(a, second).address().getPort(),
                "the peer ID now leads to the session on node 2");
    }

    @Test
    void theNameRegistryIsSharedByTheNodes() throws Exception {
        TestServer[] node = registryNodes("registry");
        RtmfpClient alice = on(node[0], TestServer.KEY_A);
        RtmfpClient bob = on(node[1], TestServer.KEY_A);
        java.util.function.BiFunction<TestServer, String, String> get = ClusterEndToEndTest::registryGet;
        String updated = "<result><update>true</update></result>";
        assertTrue(get.apply(node[1], "/" + TestServer.KEY_A + "/reg.cgi?username=alice&identity="
                + alice.identity().peerIdHex()).contains(updated), "alice, a client of node 1, registers at node 2");
        String found = get.apply(node[0], "/" + TestServer.KEY_A + "/reg.cgi?friends=alice");
        assertTrue(found.contains("<identity>" + alice.identity().peerIdHex() + "</identity>"), found);
        byte[] aliceId = alice.identity().peerId();
        assertEquals(alice.identity().peerIdHex(), bob.connectToPeer(aliceId).get(WAIT, TimeUnit.SECONDS).peerIdHex(),
                "bob, on node 2, meets alice by the name node 1 gave");
    }

    @Test
    void theSixthDistinctInitiatorAcrossNodesIsRefusedAtCapFive() throws Exception {
        TestServer one = node(1);
        TestServer two = node(2);
        TestServer three = node(3);
        RtmfpClient target = on(one, TestServer.KEY_A);
        List<TestServer> others = List.of(two, three, one, two, three);
        for (TestServer at : others) {
            meet(on(at, TestServer.KEY_A), target);
        }
        RtmfpClient sixth = on(two, TestServer.KEY_A, REFUSED_WAIT);
        assertTrue(refused(sixth, target), "the target holds five peers, on three nodes");
        assertTrue(two.refused("introduction_target_cap") >= 1);
    }

    @Test
    void aKeysMaxSessionsHoldsAcrossNodes() throws Exception {
        TestServer one = node(1);
        TestServer two = node(2);
        on(one, TestServer.KEY_MAX_2);
        on(two, TestServer.KEY_MAX_2);
        RtmfpClient third = RtmfpClient.open(ClientIdentity.generate(RANDOM), ClientSettings.FLASH_LIKE);
        clients.add(third);
        Map<String, Object> info = third.connect(one.url(TestServer.KEY_MAX_2)).get(WAIT, TimeUnit.SECONDS);
        assertEquals("NetConnection.Connect.Rejected", info.get("code"), "two sessions of the key, on two nodes");
        assertTrue(String.valueOf(info.get("description")).contains("max-sessions limit of 2"), info.toString());
    }

    @Test
    void clientsOfTwoKeysNeverMeetAcrossNodes() throws Exception {
        TestServer one = node(1);
        TestServer two = node(2);
        RtmfpClient a = on(one, TestServer.KEY_A, REFUSED_WAIT);
        RtmfpClient b = on(two, TestServer.KEY_B, REFUSED_WAIT);
        assertTrue(refused(a, b));
        assertTrue(refused(b, a));
        assertTrue(one.refused("introduction_other_developer_key") >= 1);
        assertTrue(two.refused("introduction_other_developer_key") >= 1);
    }

    @Test
    void aNetGroupOfFifteenOverThreeNodesHandsOutMembersOfEveryNode() throws Exception {
        List<TestServer> three = List.of(node(1), node(2), node(3));
        byte[] group = new byte[32];
        RANDOM.nextBytes(group);
        List<RtmfpClient> members = new ArrayList<>();
        Map<String, Integer> nodeOf = new java.util.HashMap<>();
        Set<Integer> handedFrom = new HashSet<>();
        List<String> departed = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            RtmfpClient joiner = on(three.get(i % 3), TestServer.KEY_A);
            nodeOf.put(joiner.identity().peerIdHex(), i % 3);
            GroupMembership membership = joiner.joinGroup(group).get(WAIT, TimeUnit.SECONDS);
            int expected = Math.min(members.size(), 5);
            assertTrue(eventually(() -> membership.members().size() >= expected),
                    "joiner " + i + " got " + membership.members().size() + " of " + expected + " members");
            List<String> ids = membership.members().stream().map(HexFormat.of()::formatHex).toList();
            assertTrue(ids.size() <= 5, "at most the peer cap: " + ids.size());
            assertFalse(ids.contains(joiner.identity().peerIdHex()), "never itself");
            for (String gone : departed) {
                assertFalse(ids.contains(gone), "never a departed member");
            }
            ids.forEach(id -> handedFrom.add(nodeOf.get(id)));
            members.add(joiner);
            if (i % 5 == 4) {
                RtmfpClient leaver = members.remove(members.size() - 2);
                departed.add(leaver.identity().peerIdHex());
                TestServer itsNode = three.get(nodeOf.get(leaver.identity().peerIdHex()));
                long closedBefore = closed(itsNode);
                leaver.close();
                assertTrue(eventually(() -> closed(itsNode) > closedBefore),
                        "the leaver's node saw it go");
            }
        }
        assertEquals(Set.of(0, 1, 2), handedFrom, "members were handed out from every node");
    }

    @Test
    void aKilledNodesPeersAreNeitherIntroducedNorHandedOutAfterTheNodeLifetime() throws Exception {
        TestServer one = node(1);
        InetSocketAddress twoAddress = startExternalNode(2);
        RtmfpClient a = on(one, TestServer.KEY_A, REFUSED_WAIT);
        RtmfpClient b = connectTo(twoAddress, TestServer.KEY_A);
        byte[] group = new byte[32];
        RANDOM.nextBytes(group);
        b.joinGroup(group).get(WAIT, TimeUnit.SECONDS);
        meet(a, b);

        external.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9: node 2 says nothing
        b.close();
        // Node 1's clock moves past node 2's lifetime instead of the test waiting for it.
        long jumped = System.currentTimeMillis() + one.clockOffset.addAndGet(NODE_LIFETIME_MS + 1_000);
        assertTrue(eventually(() -> heartbeatOf("node-1") >= jumped), "node 1 said it is alive in its new time");
        RtmfpClient c = on(one, TestServer.KEY_A, REFUSED_WAIT);
        long before = one.refused("introduction_unknown_target");
        assertTrue(refused(c, b), "a dead node's peer is not introduced");
        assertTrue(one.refused("introduction_unknown_target") > before, () -> java.util.Arrays.stream(
                one.server.metrics().render().split("\n")).filter(l -> l.startsWith("rtmfpd_refused")
                        || l.startsWith("rtmfpd_dropped")).toList().toString());
        GroupMembership joined = c.joinGroup(group).get(WAIT, TimeUnit.SECONDS);
        RtmfpClient d = on(one, TestServer.KEY_A);
        GroupMembership second = d.joinGroup(group).get(WAIT, TimeUnit.SECONDS);
        assertTrue(eventually(() -> second.members().size() == 1), "d is handed c");
        assertEquals(List.of(c.identity().peerIdHex()),
                second.members().stream().map(HexFormat.of()::formatHex).toList(), "and not the dead node's b");
        assertEquals(List.of(), joined.members().stream().map(HexFormat.of()::formatHex).toList(),
                "c was handed nobody: b's node is dead");
    }

    @Test
    void withRedisDownEachNodeServesItsOwnClientsAndTheClusterComesBackWithoutARestart() throws Exception {
        TestServer one = node(1);
        TestServer two = node(2);
        RtmfpClient a = on(one, TestServer.KEY_A, REFUSED_WAIT);
        RtmfpClient b = on(two, TestServer.KEY_A, REFUSED_WAIT);
        meet(a, b);

        REDIS.stop();
        assertTrue(eventually(() -> one.server.metrics().render().contains("rtmfpd_cluster_store_up 0")),
                "node 1 noticed");
        RtmfpClient c = on(one, TestServer.KEY_A, REFUSED_WAIT);
        assertEquals(c.identity().peerIdHex(), meet(a, c).peerIdHex(), "node 1 still connects and introduces its own");
        RtmfpClient d = on(two, TestServer.KEY_A, REFUSED_WAIT);
        assertTrue(refused(c, d), "a client of another node cannot be reached while Redis is down");

        REDIS.start();
        for (TestServer node : List.of(one, two)) {
            assertTrue(eventuallyWithin(Duration.ofSeconds(30),
                            () -> node.server.metrics().render().contains("rtmfpd_cluster_store_up 1")),
                    "back in the cluster without a restart");
        }
        // A cross-node introduction needs both nodes' inbox subscriptions, which the Redis client
        // restores just after its connection (and store_up) is back: a client's retry then gets through.
        assertEquals(d.identity().peerIdHex(), meetWithRetries(c, d).peerIdHex(), "clients published again meet across nodes");
        assertEquals(a.identity().peerIdHex(), meetWithRetries(d, a).peerIdHex());
    }

    /** {@link TestServer#meet}, tried again (three tries at most) when a try ends without an answer. */
    private static org.rtmfpd.client.PeerSession meetWithRetries(RtmfpClient initiator, RtmfpClient target)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return meet(initiator, target);
            } catch (java.util.concurrent.ExecutionException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    @Test
    void namesRegisteredThroughANodeComeBackAfterRedisLostThem() throws Exception {
        TestServer[] node = registryNodes("names");
        RtmfpClient alice = on(node[0], TestServer.KEY_A);
        java.util.function.BiFunction<TestServer, String, String> get = ClusterEndToEndTest::registryGet;
        String identity = "<identity>" + alice.identity().peerIdHex() + "</identity>";
        assertTrue(get.apply(node[1], "/" + TestServer.KEY_A + "/reg.cgi?username=alice&identity="
                + alice.identity().peerIdHex()).contains("<update>true</update>"), "alice registers at node 2");
        REDIS.stop();
        REDIS.start(); // empty: every name is gone from Redis
        assertTrue(eventuallyWithin(Duration.ofSeconds(30), () -> get.apply(node[0], "/" + TestServer.KEY_A
                + "/reg.cgi?friends=alice").contains(identity)),
                "node 2 registered alice again once it published its state again; node 1 finds her");
    }

    /** Nodes 1 and 2, each with the name registry on a free port. */
    private TestServer[] registryNodes(String name) throws Exception {
        TestServer[] node = new TestServer[2];
        for (int n = 1; n <= 2; n++) {
            Path home = Files.createDirectories(dir.resolve(name + "-node-" + n));
            ServerConfig.Builder b = ServerConfig.builder().cluster(cluster("node-" + n))
                    .registry(org.rtmfpd.registry.RegistrySettings.DEFAULTS.withListen(
                            java.util.Optional.of(new InetSocketAddress("127.0.0.1", 0))));
            node[n - 1] = new TestServer(home, b, WarpClock.REAL_TIME);
            nodes.add(node[n - 1]);
            TestServer it = node[n - 1];
            assertTrue(eventually(() -> it.server.metrics().render().contains("rtmfpd_cluster_store_up 1")));
        }
        return node;
    }

    /** The body of the registry's answer to GET {@code path} at {@code at}. */
    private static String registryGet(TestServer at, String path) {
        try {
            return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                            + at.server.registryAddress().orElseThrow().getPort() + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    /** A node's last heartbeat as the cluster store holds it (ms), or 0. */
    private long heartbeatOf(String node) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(REDIS.uri());
        try (var connection = client.connect()) {
            Double score = connection.sync().zscore("{" + namespace + "}:nodes", node);
            return score == null ? 0 : score.longValue();
        } finally {
            client.shutdown();
        }
    }

    /** Sessions the node has closed, from its metrics. */
    private static long closed(TestServer node) {
        for (String line : node.server.metrics().render().split("\n")) {
            if (line.startsWith("rtmfpd_sessions_closed_total ")) {
                return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        return 0;
    }

    // ---- an rtmfpd in its own process, for kill -9 ------------------------------------------------

    private InetSocketAddress startExternalNode(int n) throws Exception {
        Path home = Files.createDirectories(dir.resolve("node-" + n));
        Path keys = home.resolve("developer-keys.conf");
        Files.writeString(keys, TestServer.KEY_A + "\n" + TestServer.KEY_B + "\n");
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int metricsPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            metricsPort = s.getLocalPort();
        }
        Path log = home.resolve("rtmfpd.log");
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        external = new ProcessBuilder(javaBinary, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "org.rtmfpd.cli.Main", "serve", "--listen", "127.0.0.1:" + port, "--developer-keys", keys.toString(),
                "--cluster-redis", REDIS.uri(), "--cluster-namespace", namespace, "--node-id", "node-" + n,
                "--cluster-node-lifetime-ms", Integer.toString(NODE_LIFETIME_MS),
                "--metrics-listen", "127.0.0.1:" + metricsPort)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        java.net.URI metrics = java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        assertTrue(eventuallyWithin(Duration.ofSeconds(30), () -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(metrics).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body().contains("rtmfpd_cluster_store_up 1");
            } catch (java.io.IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }), () -> "node " + n + " did not join the cluster: " + readQuietly(log));
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private RtmfpClient connectTo(InetSocketAddress node, String key) throws Exception {
        RtmfpClient client = RtmfpClient.open(ClientIdentity.generate(RANDOM), ClientSettings.FLASH_LIKE);
        clients.add(client);
        Map<String, Object> info = client.connect("rtmfp://127.0.0.1:" + node.getPort() + "/" + key)
                .get(WAIT, TimeUnit.SECONDS);
        assertEquals("NetConnection.Connect.Success", info.get("code"), info.toString());
        client.setPeerInfo(List.of(client.localAddress())).get(WAIT, TimeUnit.SECONDS);
        return client;
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static boolean eventuallyWithin(Duration limit, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
