package org.rtmfpd.cluster;

import static org.rtmfpd.rendezvous.Ids.group;
import static org.rtmfpd.rendezvous.Ids.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rtmfpd.cluster.ClusterStore.Admit;
import org.rtmfpd.cluster.ClusterStore.Admitted;
import org.rtmfpd.cluster.ClusterStore.Pairing;
import org.rtmfpd.cluster.ClusterStore.Routed;
import org.rtmfpd.cluster.ClusterStore.Referral;
import org.rtmfpd.cluster.ClusterStore.Refused;
import org.rtmfpd.rendezvous.GroupId;
import org.rtmfpd.rendezvous.Introducer.Reason;
import org.rtmfpd.rendezvous.Peer;
import org.rtmfpd.rendezvous.PeerId;

/**
 * The cluster store against a real redis-server, with two or three store instances standing for two or
 * three nodes: the cases of PeerRegistryTest and NetGroupsTest across nodes, the route of an
 * introduction, plus node liveness, TTLs and races. Time is the injected clock; nothing sleeps. (The
 * peer-cap ledger is each node's own: ClusterRendezvousTest and ClusterLedgerTest.)
 */
class RedisClusterStoreTest {
    @RegisterExtension
    static final RedisTestServer server = new RedisTestServer();
    private static final AtomicInteger namespaces = new AtomicInteger();
    private static final long LIFETIME = 10_000;
    static final String KEY = "app-key";
    static final String OTHER = "other-key";
    static final Map<String, String> KEYS = Map.of(RedisClusterStore.keyHash(KEY), KEY,
            RedisClusterStore.keyHash(OTHER), OTHER);

    static RedisConnection connection;
    static RedisClusterAsyncCommands<String, String> redis;

    final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    String namespace;
    RedisClusterStore n1;
    RedisClusterStore n2;
    RedisClusterStore n3;
    final GroupId g = group(1);

    @BeforeAll
    static void connect() {
        connection = server.connect();
        redis = connection.commands();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
    }

    @BeforeEach
    void nodes() {
        namespace = "t" + namespaces.incrementAndGet();
        n1 = store(new Scripted(0.0));
        n2 = store(new Scripted(0.0));
        n3 = store(new Scripted(0.0));
        get(n1.load());
        beat("n1", "n2", "n3");
    }

    RedisClusterStore store(RandomGenerator random) {
        return new RedisClusterStore(redis, connection.binaryCommands(), namespace,
                h -> Optional.ofNullable(KEYS.get(h)), now::get, random, Duration.ofMillis(LIFETIME));
    }

    void beat(String... nodes) {
        for (String n : nodes) {
            get(n1.heartbeat(n, List.of("127.0.0.1:1935")));
        }
    }

    static <T> T get(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static InetSocketAddress addr(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    static Peer p(int n, String node) {
        return p(KEY, n, node);
    }

    static Peer p(String key, int n, String node) {
        return new Peer(key, peer(n), addr("198.51.100." + (n % 250 + 1), 40000 + n), List.of(), node);
    }

    Admitted admit(RedisClusterStore s, Peer peer, int max) {
        return get(s.admit(peer, max)).status();
    }

    Admitted admit(Peer peer) {
        return admit(storeOf(peer.node()), peer, 1000);
    }

    RedisClusterStore storeOf(String node) {
        return switch (node) {
            case "n1" -> n1;
            case "n2" -> n2;
            default -> n3;
        };
    }

    /** The route of an introduction of a client of {@code node} with {@link #KEY} to {@code target}. */
    Pairing route(String node, int target) {
        return get(storeOf(node).route(KEY, peer(target), node, new byte[] {1, 2, (byte) 0xff}));
    }

    static Peer assertRouted(Pairing p) {
        return assertInstanceOf(Routed.class, p, () -> "expected a route, got " + p).target();
    }

    static void assertRefused(Reason reason, Pairing p) {
        assertEquals(new Refused(reason), p);
    }

    static List<PeerId> peers(int... ns) {
        List<PeerId> out = new ArrayList<>();
        for (int n : ns) {
            out.add(peer(n));
        }
        return out;
    }

    // ---- sessions

    @Test
    void twoNodesShareTheMaxSessionsOfAKey() {
        assertEquals(Admitted.REGISTERED, admit(n1, p(1, "n1"), 3));
        assertEquals(Admitted.REGISTERED, admit(n1, p(2, "n1"), 3));
        assertEquals(Admitted.REGISTERED, admit(n2, p(3, "n2"), 3));
        assertEquals(Admitted.MAX_SESSIONS, admit(n2, p(4, "n2"), 3));
        assertEquals(Admitted.MAX_SESSIONS, admit(n1, p(5, "n1"), 3));
        assertEquals(Admitted.REGISTERED, admit(n2, p(OTHER, 6, "n2"), 3), "another key counts apart");
        assertEquals(Admitted.REPLACED, admit(n2, p(2, "n2"), 3), "the same peer ID replaces, at the limit too");
        get(n1.remove(peer(1), "n1"));
        assertEquals(Admitted.REGISTERED, admit(n2, p(4, "n2"), 3), "a removed peer frees its place");
    }

    @Test
    void aPeerIdOnAnotherNodeReplacesTheOlderRecordAndRepairsItsGroups() {
        admit(p(0, "n1"));
        admit(p(1, "n1"));
        admit(p(2, "n2"));
        admit(p(3, "n2"));
        for (int n = 0; n <= 2; n++) {
            get(storeOf(n == 2 ? "n2" : "n1").join(KEY, g, peer(n), n == 2 ? "n2" : "n1", 5));
        }
        assertEquals("n1", assertRouted(route("n2", 1)).node());

        Peer again = new Peer(KEY, peer(1), addr("203.0.113.9", 5000), List.of(addr("10.0.0.9", 5000)), "n2");
        Admit a = get(n2.admit(again, 100));
        assertEquals(Admitted.REPLACED, a.status());
        Peer old = a.replaced().orElseThrow();
        assertEquals("n1", old.node());
        assertEquals(peer(1), old.peerId());
        assertEquals(addr("198.51.100.2", 40001), old.observed());
        assertEquals(List.of(new Referral(KEY, g, peer(2), "n2", peer(0))), a.referrals());

        assertEquals(List.of(), get(n1.remove(peer(1), "n1")), "the old session's late close changes nothing");
        assertRefused(Reason.UNKNOWN_TARGET, route("n2", 1)); // now a client of n2 itself
        assertEquals(again, assertRouted(route("n1", 1)), "the new record, with its addresses and node");
        assertEquals(peers(2, 0), get(n2.join(KEY, g, peer(3), "n2", 5)), "the replaced session left its groups");
    }

    @Test
    void updateChangesTheAddressesOnlyFromTheHoldingNode() {
        admit(p(1, "n1"));
        admit(p(2, "n2"));
        Peer moved = new Peer(KEY, peer(1), addr("2001:db8::1", 7000), List.of(addr("10.1.2.3", 7001),
                addr("fe80::1", 7002)), "n1");
        get(n2.update(new Peer(KEY, peer(1), addr("192.0.2.1", 1), List.of(), "n2")));
        get(n1.update(moved));
        assertEquals(moved, assertRouted(route("n2", 1)));
    }

    // ---- introductions: the route to the target's node

    @Test
    void aRouteFindsTheTargetAndPublishesTheAskToItsNodeOnly() throws Exception {
        admit(p(1, "n1"));
        admit(p(2, "n2"));
        admit(p(OTHER, 3, "n2"));
        var sub = connection.pubSub();
        java.util.concurrent.BlockingQueue<String> heard = new java.util.concurrent.LinkedBlockingQueue<>();
        sub.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                heard.add(channel + " " + java.util.HexFormat.of().formatHex(message));
            }
        });
        sub.sync().subscribe(n1.prefix() + ":inbox:n1", n1.prefix() + ":inbox:n2");
        try {
            assertEquals(p(2, "n2"), assertRouted(route("n1", 2)));
            assertEquals(n1.prefix() + ":inbox:n2 0102ff", heard.poll(5, TimeUnit.SECONDS),
                    "the ask, as given, to the target's node");
            assertRefused(Reason.UNKNOWN_TARGET, route("n1", 9));
            assertRefused(Reason.UNKNOWN_TARGET, route("n2", 2)); // a client of the asking node is its own to decide
            assertRefused(Reason.OTHER_DEVELOPER_KEY, route("n1", 3));
            assertTrue(get(n1.find(peer(9))).isEmpty());
            assertEquals(p(1, "n1"), get(n2.find(peer(1))).orElseThrow());
            assertEquals(null, heard.poll(200, TimeUnit.MILLISECONDS), "a refusal publishes nothing");
        } finally {
            connection.release(sub);
        }
    }

    // ---- groups (NetGroupsTest across nodes)

    List<PeerId> join(int n, int cap) {
        String node = "n" + (n % 3 + 1);
        return get(storeOf(node).join(KEY, g, peer(n), node, cap));
    }

    void joinAll(int from, int to, int cap) {
        for (int n = from; n <= to; n++) {
            admit(p(n, "n" + (n % 3 + 1)));
            join(n, cap);
        }
    }

    Optional<Referral> leave(int n) {
        String node = "n" + (n % 3 + 1);
        return get(storeOf(node).leave(KEY, g, peer(n), node));
    }

    @Test
    void fifteenJoinersOverThreeNodesGetAtMostTheCapNewestFirst() {
        List<PeerId> order = new ArrayList<>();
        for (int n = 0; n < 15; n++) {
            admit(p(n, "n" + (n % 3 + 1)));
            List<PeerId> got = join(n, 5);
            assertTrue(got.size() <= 5, "at most the cap: " + got.size());
            assertFalse(got.contains(peer(n)), "never itself");
            assertEquals(got.size(), new HashSet<>(got).size(), "no repeats");
            List<PeerId> newest = new ArrayList<>(order);
            java.util.Collections.reverse(newest);
            if (order.size() <= 5) {
                assertEquals(newest, got, "everybody, newest first");
            } else {
                assertEquals(newest.subList(0, 4), got.subList(0, 4), "the four newest, newest first");
                assertTrue(newest.subList(4, newest.size()).contains(got.get(4)), "then one older member");
            }
            order.add(peer(n));
        }
    }

    @Test
    void theRandomMemberIsDrawnFromTheOlderOnes() {
        RedisClusterStore scripted = store(new Scripted(0.5));
        for (int n = 1; n <= 9; n++) {
            admit(p(n, "n1"));
            get(n1.join(KEY, g, peer(n), "n1", 5));
        }
        admit(p(10, "n1"));
        // others 1..9: newest four 9,8,7,6, then one of 1..5: 0.5 × 5 → index 2 → peer 3
        assertEquals(peers(9, 8, 7, 6, 3), get(scripted.join(KEY, g, peer(10), "n1", 5)));
    }

    @Test
    void capOfOneGivesTheNewestOnlyAndARepeatedJoinKeepsItsPlace() {
        joinAll(1, 3, 1);
        admit(p(4, "n2"));
        assertEquals(peers(3), join(4, 1));
        assertEquals(peers(4, 3, 2), join(1, 5), "a repeated join hands the others, never itself");
        assertEquals(Optional.of(new Referral(KEY, g, peer(3), "n1", peer(1))), leave(2),
                "peer 1 kept its first place");
    }

    @Test
    void groupsAreScopedByDeveloperKeyAndGroupId() {
        admit(p(1, "n1"));
        admit(p(OTHER, 2, "n2"));
        admit(p(3, "n2"));
        admit(p(4, "n3"));
        get(n1.join(KEY, g, peer(1), "n1", 5));
        assertEquals(List.of(), get(n2.join(OTHER, g, peer(2), "n2", 5)));
        assertEquals(List.of(), get(n2.join(KEY, group(2), peer(3), "n2", 5)));
        assertEquals(peers(1), get(n3.join(KEY, g, peer(4), "n3", 5)));
        assertEquals(List.of(), get(n2.join(KEY, g, peer(2), "n2", 5)), "a peer joins only under its own key");
    }

    @Test
    void leaveTellsTheFollowerAboutTheMemberThatEntersItsWindow() {
        joinAll(0, 9, 5);
        assertEquals(Optional.of(new Referral(KEY, g, peer(9), "n1", peer(4))), leave(8));
        assertEquals(Optional.of(new Referral(KEY, g, peer(3), "n1", peer(0))), leave(2));
        assertEquals(Optional.empty(), leave(0), "nobody precedes the follower");
        assertEquals(Optional.empty(), leave(9), "nobody follows the last member");
        assertEquals(Optional.empty(), leave(9), "leaving twice does nothing");
        admit(p(20, "n3"));
        assertEquals(peers(7, 6, 5, 4, 1), join(20, 5), "members 1, 3..7 are left");
    }

    @Test
    void theFollowersOwnCapSetsItsWindow() {
        joinAll(0, 5, 5);
        admit(p(6, "n1"));
        join(6, 2);
        assertEquals(Optional.of(new Referral(KEY, g, peer(6), "n1", peer(4))), leave(5));
    }

    @Test
    void removeLeavesEveryGroupWithItsReferrals() {
        GroupId h = group(2);
        for (int n = 0; n <= 2; n++) {
            admit(p(n, "n1"));
            get(n1.join(KEY, g, peer(n), "n1", 5));
            get(n1.join(KEY, h, peer(n), "n1", 5));
        }
        assertEquals(List.of(new Referral(KEY, g, peer(2), "n1", peer(0)), new Referral(KEY, h, peer(2), "n1", peer(0))),
                get(n1.remove(peer(1), "n1")));
        admit(p(3, "n2"));
        assertEquals(peers(2, 0), get(n2.join(KEY, g, peer(3), "n2", 5)));
    }

    @Test
    void groupsPerPeerAreBounded() {
        admit(p(1, "n1"));
        admit(p(2, "n2"));
        for (int i = 1; i <= 3; i++) {
            get(n1.join(KEY, group(i), peer(1), "n1", 5, 3));
        }
        get(n2.join(KEY, group(4), peer(2), "n2", 5, 3));
        assertEquals(List.of(), get(n1.join(KEY, group(4), peer(1), "n1", 5, 3)));
        admit(p(3, "n3"));
        assertEquals(peers(2), get(n3.join(KEY, group(4), peer(3), "n3", 5, 3)), "the refused join recorded nothing");
        assertEquals(List.of(), get(n1.join(KEY, group(1), peer(1), "n1", 5, 3)), "a repeated join is not a new group");
        get(n1.leave(KEY, group(2), peer(1), "n1"));
        assertEquals(peers(3, 2), get(n1.join(KEY, group(4), peer(1), "n1", 5, 3)), "room again after leaving one");
    }

    // ---- liveness

    @Test
    void aSilentNodesPeersAreGoneBeforeAndAfterTheSweep() {
        admit(p(1, "n1"));
        admit(p(2, "n2"));
        admit(p(3, "n1"));
        get(n1.join(KEY, g, peer(1), "n1", 5));
        get(n2.join(KEY, g, peer(2), "n2", 5));
        get(n1.join(KEY, g, peer(3), "n1", 5));
        assertRouted(route("n1", 2));

        now.addAndGet(LIFETIME + 1);
        beat("n1", "n3");
        assertRefused(Reason.UNKNOWN_TARGET, route("n1", 2));
        assertTrue(get(n1.find(peer(2))).isEmpty());
        admit(p(4, "n3"));
        assertEquals(peers(3, 1), get(n3.join(KEY, g, peer(4), "n3", 5)), "the silent node's member is not handed out");
        assertEquals(Admitted.REGISTERED, admit(n3, p(5, "n3"), 4), "the silent node's peer does not count");
        assertEquals(Admitted.MAX_SESSIONS, admit(n3, p(6, "n3"), 4));

        // members in join order: 1 (n1), 2 (n2, dead), 3 (n1), 4 (n3). 2's leave tells 3 about 1.
        List<Referral> referrals = get(n1.sweep());
        assertEquals(List.of(new Referral(KEY, g, peer(3), "n1", peer(1))), referrals);
        assertFalse(exists("peers", peer(2).toHex()));
        assertEquals(0L, get(redis.exists(n1.prefix() + ":nodepeers:n2")));
        assertEquals(List.of(), get(n1.sweep()), "a second sweep finds nothing");

        // n2 comes back: it admits its peers again
        beat("n2");
        assertEquals(Admitted.REGISTERED, admit(n2, p(2, "n2"), 100));
    }

    @Test
    void aNodeLeavingTheClusterRemovesItsPeersAtOnce() {
        joinAll(0, 5, 5); // nodes n1 (0, 3), n2 (1, 4), n3 (2, 5)
        List<Referral> referrals = get(n2.removalBatch(1).leaveCluster("n2"));
        assertEquals(Set.of(new Referral(KEY, g, peer(2), "n3", peer(0)), new Referral(KEY, g, peer(5), "n3", peer(0))),
                Set.copyOf(referrals));
        assertRefused(Reason.UNKNOWN_TARGET, route("n1", 1));
    }

    @Test
    void admitWithoutAHeartbeatFails() {
        CompletableFuture<Admit> f = n1.admit(p(1, "n9"), 10).toCompletableFuture();
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> f.get(5, TimeUnit.SECONDS));
        assertTrue(String.valueOf(e.getCause().getMessage()).contains("NODE_NOT_ALIVE"), e.toString());
    }

    // ---- TTLs, races

    @Test
    void everyKeyHasATtl() {
        joinAll(0, 8, 5);
        get(n1.leave(KEY, g, peer(0), "n1"));
        get(n1.remove(peer(3), "n1"));
        beat("n1", "n2", "n3");
        List<String> keys = keys();
        assertTrue(keys.size() >= 10, "keys: " + keys);
        for (String k : keys) {
            long pttl = get(redis.pttl(k));
            assertTrue(pttl > 0 && pttl <= 3 * LIFETIME, k + " has PTTL " + pttl);
        }
    }

    @Test
    void aSweepInSmallBatchesRemovesEveryDeadNode() {
        for (int n = 0; n < 12; n++) {
            admit(p(n, "n" + (n % 3 + 1)));
            join(n, 5);
        }
        now.addAndGet(LIFETIME + 1);
        beat("n1");
        // members 0..11; n2 holds 1, 4, 7, 10 and n3 holds 2, 5, 8, 11, all dead: n1's 0, 3, 6, 9 remain,
        // and only live followers are told anything
        List<Referral> referrals = get(n1.removalBatch(3).sweep());
        assertTrue(referrals.stream().allMatch(r -> r.recipientNode().equals("n1")
                && List.of(peer(0), peer(3), peer(6), peer(9)).contains(r.member())), referrals.toString());
        assertEquals(List.of(), get(n1.sweep()));
        assertEquals(4L, get(redis.hlen(n1.prefix() + ":peers")));
        assertEquals(List.of("n1"), get(redis.zrange(n1.prefix() + ":nodes", 0, -1)));
        assertEquals(peers(9, 6, 0), get(n1.join(KEY, g, peer(3), "n1", 5)), "the group holds n1's members only");
    }

    @Test
    void anyHeartbeatKeepsADeadNodesIndexUntilTheSweep() {
        admit(p(1, "n2"));
        String index = n1.prefix() + ":nodepeers:n2";
        get(redis.pexpire(index, 1_000));
        now.addAndGet(LIFETIME + 1);
        beat("n1");
        assertTrue(get(redis.pttl(index)) > 1_000, "refreshed by n1's heartbeat");
        get(n1.sweep());
        assertEquals(0L, get(redis.exists(index)));
        assertFalse(exists("peers", peer(1).toHex()));
    }

    @Test
    void concurrentAdmitsFromTwoNodesNeverExceedMaxSessions() {
        List<CompletableFuture<Admit>> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            RedisClusterStore s = i % 2 == 0 ? n1 : n2;
            all.add(s.admit(p(i, i % 2 == 0 ? "n1" : "n2"), 50).toCompletableFuture());
        }
        get(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
        long registered = all.stream().filter(f -> f.join().status() == Admitted.REGISTERED).count();
        assertEquals(50, registered);
        assertEquals(Admitted.MAX_SESSIONS, admit(n2, p(1000, "n2"), 50));
    }

    boolean exists(String hash, String field) {
        return get(redis.hexists(n1.prefix() + ":" + hash, field));
    }

    List<String> keys() {
        Set<String> out = new HashSet<>();
        io.lettuce.core.KeyScanCursor<String> c = get(redis.scan(ScanArgs.Builder.matches(n1.prefix() + ":*").limit(1000)));
        out.addAll(c.getKeys());
        while (!c.isFinished()) {
            c = get(redis.scan(c, ScanArgs.Builder.matches(n1.prefix() + ":*").limit(1000)));
            out.addAll(c.getKeys());
        }
        return new ArrayList<>(out);
    }

    /** A "random" source that returns the doubles it is given, in turn. */
    static final class Scripted implements RandomGenerator {
        private final double[] values;
        private int next;

        Scripted(double... values) {
            this.values = values;
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public double nextDouble() {
            return values[next++ % values.length];
        }
    }
}
