package org.rtmfpd.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.cluster.RedisConnection.State;

class RedisConnectionTest {
    @RegisterExtension
    static final RedisTestServer server = new RedisTestServer();

    @Test
    void whileRedisIsDownCallsFailFastAndTheStateFollowsIt() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000);
        Duration timeout = Duration.ofSeconds(2);
        try (RedisConnection c = RedisConnection.open(server.uri(), Optional.empty(), timeout)) {
            LinkedBlockingQueue<State> changes = new LinkedBlockingQueue<>();
            c.onStateChange(changes::add);
            assertEquals(State.UP, c.state());
            RedisClusterStore store = new RedisClusterStore(c.commands(), c.binaryCommands(), "updown", h -> Optional.empty(), now::get,
                    java.util.random.RandomGenerator.of("L64X128MixRandom"), Duration.ofSeconds(10));
            store.heartbeat("n1", List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);

            server.stop();
            assertEquals(State.DOWN, changes.poll(10, TimeUnit.SECONDS));
            long start = System.nanoTime();
            CompletableFuture<?> f = store.heartbeat("n1", List.of()).toCompletableFuture();
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took < timeout.toMillis(), "failed within the timeout: " + took + " ms, " + e.getCause());
            assertEquals(State.DOWN, c.state());

            server.start(); // a new redis-server on the same port, empty
            assertEquals(State.UP, changes.poll(15, TimeUnit.SECONDS), "reconnected");
            // the new server has no scripts: the call loads its script again (NOSCRIPT) and succeeds
            store.heartbeat("n1", List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(1L, c.commands().zcard("{updown}:nodes").get(5, TimeUnit.SECONDS));
            assertTrue(changes.isEmpty(), "one change per state: " + changes);
        }
    }

    @Test
    void aFlushedScriptCacheIsLoadedAgain() throws Exception {
        try (RedisConnection c = server.connect()) {
            RedisClusterStore store = new RedisClusterStore(c.commands(), c.binaryCommands(), "noscript", h -> Optional.empty(),
                    () -> 5_000, java.util.random.RandomGenerator.of("L64X128MixRandom"), Duration.ofSeconds(10));
            store.heartbeat("n1", List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
            c.commands().scriptFlush().get(5, TimeUnit.SECONDS);
            assertEquals(List.of(), store.sweep().toCompletableFuture().get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPasswordFileSetsThePassword(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("redis.pw");
        Files.writeString(file, "s3cret\n");
        try (RedisConnection c = server.connect()) {
            c.commands().configSet("requirepass", "s3cret").get(5, TimeUnit.SECONDS);
            try {
                try (RedisConnection withFile = RedisConnection.open("redis://:wrong@127.0.0.1:" + server.port(),
                        Optional.of(file), Duration.ofSeconds(5))) {
                    assertEquals("PONG", withFile.commands().ping().get(5, TimeUnit.SECONDS));
                }
                assertThrows(RuntimeException.class, () -> server.connect().close());
            } finally {
                try (RedisConnection admin = RedisConnection.open("redis://:s3cret@127.0.0.1:" + server.port(),
                        Optional.empty(), Duration.ofSeconds(5))) {
                    admin.commands().configSet("requirepass", "").get(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void clusterUrisListTheirSeeds() {
        List<RedisURI> seeds = RedisConnection.clusterSeeds("redis-cluster://:pw@10.0.0.1:7000,10.0.0.2:7001,[::1]:7002/",
                Optional.empty(), Duration.ofSeconds(1));
        assertEquals(3, seeds.size());
        assertEquals("10.0.0.2", seeds.get(1).getHost());
        assertEquals(7001, seeds.get(1).getPort());
        assertEquals("::1", seeds.get(2).getHost());
        assertTrue(seeds.stream().noneMatch(RedisURI::isSsl));
        assertTrue(RedisConnection.clusterSeeds("rediss-cluster://h:1", Optional.empty(), Duration.ofSeconds(1)).get(0).isSsl());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisConnection.clusterSeeds("redis-cluster://h1:7000,h2", Optional.empty(), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("host:port"), e.getMessage());
    }

    @Test
    void sentinelUrisKeepTheirSentinelsAndMasterName() {
        for (String uri : List.of("redis-sentinel://127.0.0.1:26379?sentinelMasterId=m",
                "redis-sentinel://127.0.0.1:26379#m", "redis-sentinel://127.0.0.1:26379/0#m",
                "redis-sentinel://:pw@127.0.0.1:26379,127.0.0.1:26380/2#m")) {
            RedisURI u = RedisConnection.standaloneUri(uri, Optional.of("filed".toCharArray()), Duration.ofSeconds(3));
            assertEquals("m", u.getSentinelMasterId(), uri);
            assertEquals(26379, u.getSentinels().get(0).getPort(), uri);
            assertEquals(Duration.ofSeconds(3), u.getTimeout(), uri);
            assertEquals("filed", new String(((io.lettuce.core.RedisCredentialsProvider.ImmediateRedisCredentialsProvider)
                    u.getCredentialsProvider()).resolveCredentialsNow().getPassword()), "the file's password wins");
        }
        assertEquals(2, RedisConnection.standaloneUri("redis-sentinel://h1:1,h2:2#m", Optional.empty(),
                Duration.ofSeconds(1)).getSentinels().size());
        IllegalArgumentException noMaster = assertThrows(IllegalArgumentException.class,
                () -> RedisConnection.check("redis-sentinel://127.0.0.1:26379/0"));
        assertTrue(noMaster.getMessage().contains("sentinelMasterId"), noMaster.getMessage());
        IllegalArgumentException inSettings = assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.DEFAULTS.withRedis(Optional.of("redis-sentinel://:pw@127.0.0.1:26379")));
        assertTrue(inSettings.getMessage().startsWith("cluster-redis: "), inSettings.getMessage());
        assertTrue(!inSettings.getMessage().contains("pw@"), "no password in the message: " + inSettings.getMessage());
    }

    @Test
    void plainUrisKeepTheirHostDatabaseAndTls() {
        RedisURI u = RedisConnection.standaloneUri("rediss://:pw@redis.example:6380/3", Optional.empty(),
                Duration.ofMillis(700));
        assertEquals("redis.example", u.getHost());
        assertEquals(6380, u.getPort());
        assertEquals(3, u.getDatabase());
        assertTrue(u.isSsl());
        assertEquals(Duration.ofMillis(700), u.getTimeout());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisConnection.check("http://x"));
        assertTrue(e.getMessage().contains("is not a Redis URI"), e.getMessage());
    }

    @Test
    void aMissingPasswordFileIsAClearError(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisConnection.open(server.uri(), Optional.of(dir.resolve("none")), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("cannot read the redis password file"), e.getMessage());
    }
}
