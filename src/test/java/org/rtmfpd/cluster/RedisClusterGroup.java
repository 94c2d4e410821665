package org.rtmfpd.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Redis Cluster of the test's own on 127.0.0.1, as production runs one: six servers made into three
 * primaries with a replica each by {@code redis-cli --cluster create --cluster-replicas 1}, a node
 * failing over one second after its primary stops answering. Started before the class's tests,
 * stopped after them.
 */
public final class RedisClusterGroup implements BeforeAllCallback, AfterAllCallback {
    static final int NODE_TIMEOUT_MS = 1_000;
    /** Redis Cluster's bus port is the client port plus this (cluster-port default). */
    private static final int BUS_OFFSET = 10_000;
    private static final long DEADLINE_MILLIS = 60_000;
    /** A replica not promoted this long after its primary's kill is told to take over. */
    private static final int TAKEOVER_AFTER_SECONDS = 10;

    private final List<RedisProcess> servers = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        for (int i = 0; i < 6; i++) {
            servers.add(RedisProcess.start("cluster", RedisProcess.freePort(BUS_OFFSET), List.of("--cluster-enabled",
                    "yes", "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MS), "--cluster-config-file",
                    "nodes.conf")));
        }
        List<String> create = new ArrayList<>(List.of(redisCli(), "--cluster", "create"));
        servers.forEach(s -> create.add("127.0.0.1:" + s.port()));
        create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        Path out = servers.get(0).dir().resolve("create.log");
        Process p = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(out));
        }
        awaitState(servers, Duration.ofMillis(DEADLINE_MILLIS));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        servers.forEach(RedisProcess::kill);
    }

    /** {@code redis-cluster://} with every server as a seed. */
    public String uri() {
        return "redis-cluster://" + String.join(",", servers.stream().map(s -> "127.0.0.1:" + s.port()).toList());
    }

    /**
     * kill -9 of the primary that serves the slot of {@code key}'s hash tag; returns its port once the
     * cluster has promoted its replica and every live server says the cluster is ok.
     */
    public int killPrimaryOf(String key, Duration limit) throws InterruptedException {
        int port = primaryOf(key);
        servers.stream().filter(s -> s.port() == port).forEach(RedisProcess::kill);
        long deadline = System.nanoTime() + limit.toNanos();
        long takeoverAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(TAKEOVER_AFTER_SECONDS);
        while (System.nanoTime() < deadline) {
            if (takeoverAt != 0 && System.nanoTime() > takeoverAt) {
                takeoverAt = 0;
                takeOver(port);
            }
            try {
                int now = primaryOf(key);
                if (now != port) {
                    awaitState(servers.stream().filter(RedisProcess::alive).toList(),
                            Duration.ofNanos(deadline - System.nanoTime()));
                    return port;
                }
            } catch (RuntimeException e) {
                // a server in the middle of the failover: ask again
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the replica of " + port + " was not promoted within " + limit);
    }

    /**
     * The replica of the primary on {@code port} takes its slots without the other primaries' votes
     * ({@code CLUSTER FAILOVER TAKEOVER}): on a loaded build machine the election after a kill can miss
     * its window again and again, and what the tests check is what rtmfpd does across the promotion.
     */
    private void takeOver(int port) {
        for (RedisProcess s : servers) {
            if (!s.alive()) {
                continue;
            }
            RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + s.port()));
            try (var c = client.connect()) {
                List<Object> role = c.sync().role();
                if ("slave".equals(String.valueOf(role.get(0))) && ((Number) role.get(2)).intValue() == port) {
                    c.sync().clusterFailover(false, true);
                    return;
                }
            } catch (RuntimeException e) {
                // this one cannot say: ask the next
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    /** The port of the primary serving {@code key}'s slot, as a live server sees the slots. */
    public int primaryOf(String key) {
        RedisProcess any = servers.stream().filter(RedisProcess::alive).findFirst().orElseThrow();
        RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + any.port()));
        try (var c = client.connect()) {
            long slot = c.sync().clusterKeyslot(key);
            for (Object range : c.sync().clusterSlots()) {
                List<?> r = (List<?>) range;
                if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
                    return ((Long) ((List<?>) r.get(2)).get(1)).intValue();
                }
            }
            throw new IllegalStateException("no primary serves slot " + slot);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static void awaitState(List<RedisProcess> servers, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (RedisProcess s : servers) {
            RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + s.port()));
            try (var c = client.connect()) {
                while (!c.sync().clusterInfo().contains("cluster_state:ok")) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the Redis Cluster was not ok within " + limit + " at "
                                + s.port());
                    }
                    Thread.sleep(50);
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    static String redisCli() throws IOException {
        for (String candidate : List.of("/usr/bin/redis-cli", "/usr/local/bin/redis-cli")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("redis-cli is not installed; these tests need it: apt-get install -y redis-tools");
    }
}
