package org.rtmfpd.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.cluster.RedisClusterStoreTest.addr;
import static org.rtmfpd.cluster.RedisClusterStoreTest.get;
import static org.rtmfpd.rendezvous.Ids.group;
import static org.rtmfpd.rendezvous.Ids.peer;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rtmfpd.rendezvous.Peer;

/**
 * What a session costs in Redis: used_memory before and after 10,000 peers, and how long removing them
 * all takes; printed for the record. The bulk waits are long: a loaded build machine is slow.
 */
class RedisMemoryTest {
    @RegisterExtension
    static final RedisTestServer server = new RedisTestServer();
    static final int PEERS = 10_000;

    @Test
    void bytesPerSession() throws Exception {
        try (RedisConnection c = server.connect()) {
            RedisClusterAsyncCommands<String, String> redis = c.commands();
            RedisClusterStore store = new RedisClusterStore(redis, c.binaryCommands(), "mem", h -> Optional.of("k"), () -> 1_000_000,
                    RandomGenerator.of("L64X128MixRandom"), Duration.ofSeconds(10));
            get(store.heartbeat("n1", List.of("192.0.2.1:1935")));
            long before = usedMemory(redis);
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (int i = 0; i < PEERS; i++) {
                Peer p = new Peer("k", peer(i), addr("198.51.100." + (i % 250 + 1), 20000 + i % 40000),
                        List.of(addr("10.0." + (i % 200) + "." + (i % 250 + 1), 50000), addr("192.168.1.2", 50001)), "n1");
                all.add(store.admit(p, Integer.MAX_VALUE).toCompletableFuture());
                settle(all);
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            long admitted = usedMemory(redis);
            all.clear();
            for (int i = 0; i < PEERS; i++) {
                all.add(store.join("k", group(i / 100), peer(i), "n1", 5).toCompletableFuture());
                settle(all);
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            long joined = usedMemory(redis);
            System.out.printf("redis memory per session: %d B admitted (2 reported addresses); %d B with one group"
                    + " place each; MEMORY USAGE peers %d, nodepeers %d, peergroups %d, one group of 100 %d%n",
                    (admitted - before) / PEERS, (joined - before) / PEERS,
                    get(redis.memoryUsage("{mem}:peers")), get(redis.memoryUsage("{mem}:nodepeers:n1")),
                    get(redis.memoryUsage("{mem}:peergroups")),
                    get(redis.memoryUsage("{mem}:group:" + RedisClusterStore.keyHash("k") + ":" + group(0).toHex())));
            assertEquals((long) PEERS, get(redis.hlen("{mem}:peers")));
            assertTrue((joined - before) / PEERS < 2000, "under 2 kB a session");

            long start = System.nanoTime();
            store.leaveCluster("n1").toCompletableFuture().get(60, TimeUnit.SECONDS);
            System.out.printf("leaveCluster of a node with %d peers (group places): %d ms%n", PEERS,
                    (System.nanoTime() - start) / 1_000_000);
            assertEquals(0L, get(redis.hlen("{mem}:peers")));
        }
    }

    /** Waits for every 500 calls in flight, so that none waits behind thousands (each has a timeout). */
    static void settle(List<CompletableFuture<?>> all) throws Exception {
        if (all.size() % 500 == 0) {
            CompletableFuture.allOf(all.subList(all.size() - 500, all.size()).toArray(CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
        }
    }

    static long usedMemory(RedisClusterAsyncCommands<String, String> redis) {
        String info = get(redis.info("memory"));
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new AssertionError("no used_memory in INFO memory");
    }
}
