package org.rtmfpd.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Sentinel group of the test's own on 127.0.0.1, as production runs one: a primary, its replica and
 * three sentinels (quorum 2) watching master {@value #MASTER}, failing over one second after the
 * primary stops answering. Started before the class's tests, stopped after them.
 */
public final class SentinelGroup implements BeforeAllCallback, AfterAllCallback {
    public static final String MASTER = "m";
    static final int DOWN_AFTER_MS = 1_000;
    private static final long SETTLE_DEADLINE_MILLIS = 30_000;

    private final List<RedisProcess> servers = new ArrayList<>();
    private final List<RedisProcess> sentinels = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        RedisProcess primary = RedisProcess.start("primary", RedisProcess.freePort(0),
                List.of());
        servers.add(primary);
        servers.add(RedisProcess.start("replica", RedisProcess.freePort(0), List.of("--replicaof", "127.0.0.1",
                Integer.toString(primary.port()))));
        String config = "sentinel monitor " + MASTER + " 127.0.0.1 " + primary.port() + " 2\n"
                + "sentinel down-after-milliseconds " + MASTER + " " + DOWN_AFTER_MS + "\n"
                + "sentinel failover-timeout " + MASTER + " 5000\n";
        for (int i = 0; i < 3; i++) {
            sentinels.add(RedisProcess.sentinel(RedisProcess.freePort(0), config));
        }
        awaitSettled(primary.port());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        sentinels.forEach(RedisProcess::kill);
        servers.forEach(RedisProcess::kill);
    }

    /** {@code redis-sentinel://S1,S2,S3#m}, in the {@code ?sentinelMasterId=} form when asked. */
    public String uri(boolean queryForm) {
        String hosts = String.join(",", sentinels.stream().map(s -> "127.0.0.1:" + s.port()).toList());
        return "redis-sentinel://" + hosts + (queryForm ? "?sentinelMasterId=" + MASTER : "#" + MASTER);
    }

    /** The port of the server the sentinels call primary now. */
    public int primaryPort() {
        RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + sentinels.get(0).port()));
        try (StatefulRedisSentinelConnection<String, String> c = client.connectSentinel()) {
            SocketAddress a = c.sync().getMasterAddrByName(MASTER);
            return ((java.net.InetSocketAddress) a).getPort();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** kill -9 of the primary; returns its port. */
    public int killPrimary() {
        int port = primaryPort();
        servers.stream().filter(s -> s.port() == port).forEach(RedisProcess::kill);
        return port;
    }

    /** Waits until the sentinels name a primary other than {@code oldPort} that answers as one. */
    public int awaitPromotion(int oldPort, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                int now = primaryPort();
                if (now != oldPort && role(now).equals("master")) {
                    return now;
                }
            } catch (RuntimeException e) {
                // a sentinel in the middle of the election: ask again
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no replica was promoted within " + limit);
    }

    /** Waits until every sentinel sees the replica and the two other sentinels. */
    private void awaitSettled(int primaryPort) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_DEADLINE_MILLIS);
        for (RedisProcess s : sentinels) {
            RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + s.port()));
            try (StatefulRedisSentinelConnection<String, String> c = client.connectSentinel()) {
                while (true) {
                    Map<String, String> m = c.sync().master(MASTER);
                    if (m.get("port").equals(Integer.toString(primaryPort)) && "1".equals(m.get("num-slaves"))
                            && "2".equals(m.get("num-other-sentinels"))) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the sentinel group did not settle within 30 s: " + m);
                    }
                    Thread.sleep(50);
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    private static String role(int port) {
        RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + port));
        try (var c = client.connect()) {
            return String.valueOf(c.sync().role().get(0));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
