package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.e2e.TestServer.eventually;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.cluster.ClusterSettings;
import org.rtmfpd.config.ServerConfig;

/**
 * rtmfpd nodes of one test in this process, sharing a Redis at {@code uri} under a namespace of their
 * own, and the clients connected to them: an extension (register it on an instance field) that stops
 * them all after each test.
 */
final class ClusterNodes implements BeforeEachCallback, AfterEachCallback {
    static final int NODE_LIFETIME_MS = 2_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    final String namespace = "e2e" + HexFormat.of().formatHex(RANDOM.generateSeed(4));
    final List<TestServer> nodes = new ArrayList<>();
    final List<RtmfpClient> clients = new ArrayList<>();
    private Path dir;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("rtmfpd-cluster-e2e");
    }

    /** Node {@code n} on the Redis at {@code uri}, once it decides with the cluster. */
    TestServer node(int n, String uri) throws Exception {
        return node(n, uri, UnaryOperator.identity());
    }

    /** Node {@code n} with settings changed by {@code more}, once it decides with the cluster. */
    TestServer node(int n, String uri, UnaryOperator<ServerConfig.Builder> more) throws Exception {
        Path home = Files.createDirectories(dir.resolve("node-" + n + "-" + nodes.size()));
        ClusterSettings cluster = ClusterSettings.DEFAULTS.withRedis(Optional.of(uri)).withNamespace(namespace)
                .withNodeId(Optional.of("node-" + n)).withNodeLifetimeMs(NODE_LIFETIME_MS);
        TestServer node = new TestServer(home, more.apply(ServerConfig.builder().cluster(cluster)), WarpClock.REAL_TIME);
        nodes.add(node);
        assertTrue(eventually(() -> storeUp(node)), "node " + n + " joined the cluster");
        return node;
    }

    /** A client of {@code node} with {@code key}, connected and with its address set. */
    RtmfpClient on(TestServer node, String key) throws Exception {
        return node.connected(key, Duration.ofSeconds(10), clients);
    }

    static boolean storeUp(TestServer node) {
        return node.server.metrics().render().contains("rtmfpd_cluster_store_up 1");
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        clients.forEach(RtmfpClient::close);
        nodes.forEach(TestServer::close);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
