package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.e2e.TestServer.eventually;
import static org.rtmfpd.e2e.TestServer.meet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.cluster.ClusterSettings;
import org.rtmfpd.cluster.RedisConnection;
import org.rtmfpd.cluster.SentinelGroup;
import org.rtmfpd.config.ServerConfig;

/**
 * Cluster mode on a Sentinel group of the test's own (a primary, a replica, three sentinels): every
 * spelling of the {@code redis-sentinel://} URI reaches the primary, and clients of two nodes meet.
 * The group is shared by the tests of the class; the failover, which uses it up, runs last.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelEndToEndTest {
    @RegisterExtension
    static final SentinelGroup SENTINELS = new SentinelGroup();

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;
    final String namespace = "sentinel" + HexFormat.of().formatHex(RANDOM.generateSeed(4));
    final List<TestServer> nodes = new ArrayList<>();
    final List<RtmfpClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(RtmfpClient::close);
        nodes.forEach(TestServer::close);
    }

    @Test
    @Order(1)
    void everySpellingOfTheMasterNameReachesThePrimary() {
        String hash = SENTINELS.uri(false);
        for (String uri : List.of(SENTINELS.uri(true), hash, hash.replace("#", "/0#"))) {
            try (RedisConnection c = RedisConnection.open(uri, Optional.empty(), Duration.ofSeconds(5))) {
                assertEquals("master", String.valueOf(c.commands().role().toCompletableFuture().join().get(0)), uri);
            }
        }
    }

    @Test
    @Order(2)
    void clientsOfTwoNodesMeetThroughTheSentinelsPrimary() throws Exception {
        TestServer one = node(1, SENTINELS.uri(false));
        TestServer two = node(2, SENTINELS.uri(true));
        RtmfpClient a = one.connected(TestServer.KEY_A, Duration.ofSeconds(10), clients);
        RtmfpClient b = two.connected(TestServer.KEY_A, Duration.ofSeconds(10), clients);
        assertEquals(b.identity().peerIdHex(), meet(a, b).peerIdHex());
        assertEquals(a.identity().peerIdHex(), meet(b, a).peerIdHex());
    }

    /** Node {@code n}, on {@code uri}, once it decides with the cluster. */
    TestServer node(int n, String uri) throws Exception {
        Path home = Files.createDirectories(dir.resolve("node-" + n));
        ClusterSettings cluster = ClusterSettings.DEFAULTS.withRedis(Optional.of(uri)).withNamespace(namespace)
                .withNodeId(Optional.of("node-" + n)).withNodeLifetimeMs(2_000);
        TestServer node = new TestServer(home, ServerConfig.builder().cluster(cluster), WarpClock.REAL_TIME);
        nodes.add(node);
        assertTrue(eventually(() -> node.server.metrics().render().contains("rtmfpd_cluster_store_up 1")),
                "node " + n + " joined the cluster");
        return node;
    }
}
