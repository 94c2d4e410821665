package org.rtmfpd.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.rendezvous.Ids.peer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rtmfpd.rendezvous.DeveloperKey;
import org.rtmfpd.rendezvous.DeveloperKeys;
import org.rtmfpd.rendezvous.GroupId;
import org.rtmfpd.rendezvous.Introducer;
import org.rtmfpd.rendezvous.LocalRendezvous;
import org.rtmfpd.rendezvous.Outbox;
import org.rtmfpd.rendezvous.PeerId;
import org.rtmfpd.wire.ForwardedIHello;

/**
 * The peer cap across nodes, exactly: three nodes, each a {@link ClusterRendezvous} on its own protocol
 * thread over one real redis-server (its store and courier), fire introductions at once from every node,
 * and no peer is ever introduced to more distinct peers than its cap, whichever nodes the pairs cross.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterLedgerTest {
    @RegisterExtension
    static final RedisTestServer server = new RedisTestServer();
    private static final AtomicInteger namespaces = new AtomicInteger();
    static final String KEY = "app";

    /** A session: its peer; the peers whose Forwarded IHello it was sent. */
    record Session(int n, Set<Integer> forwardedFrom) {
    }

    /** One node: its rendezvous on its own thread, and its sessions by peer number. */
    record Node(String name, ClusterRendezvous<Session> rv, ExecutorService loop, RedisConnection connection,
            Map<Integer, Session> sessions) {
        <T> T on(java.util.concurrent.Callable<T> call) throws Exception {
            return loop.submit(call).get(10, TimeUnit.SECONDS);
        }
    }

    final List<Node> nodes = new ArrayList<>();
    final DeveloperKeys keys = DeveloperKeys.of(List.of(DeveloperKey.of(KEY)));

    @BeforeEach
    void start() throws Exception {
        String namespace = "ledger" + namespaces.incrementAndGet();
        for (int i = 1; i <= 3; i++) {
            nodes.add(node("node-" + i, namespace, 3));
        }
    }

    @AfterEach
    void stop() {
        for (Node n : nodes) {
            n.loop().shutdownNow();
            n.connection().close();
        }
    }

    Node node(String name, String namespace, int cap) throws Exception {
        RedisConnection c = server.connect();
        RedisClusterStore store = new RedisClusterStore(c.commands(), c.binaryCommands(), namespace,
                h -> h.equals(RedisClusterStore.keyHash(KEY)) ? Optional.of(KEY) : Optional.empty(),
                System::currentTimeMillis, new Random(1), Duration.ofSeconds(10));
        ExecutorService loop = Executors.newSingleThreadExecutor();
        LocalRendezvous<Session> local = new LocalRendezvous<>(name, keys::find, cap, () -> Instant.EPOCH, new Random(2));
        ClusterRendezvous<Session> rv = new ClusterRendezvous<>(local, store, new RedisCourier(c, namespace), loop,
                keys::find);
        Node node = new Node(name, rv, loop, c, new ConcurrentHashMap<>());
        node.on(() -> {
            rv.outbox(new Outbox<>() {
                @Override
                public void forward(Session target, ForwardedIHello forward) {
                    target.forwardedFrom().add((int) forward.epd()[0]);
                }

                @Override
                public void refer(Session recipient, GroupId group, PeerId member) {
                }

                @Override
                public void evict(Session replaced) {
                }
            });
            return null;
        });
        rv.onStoreState(true);
        assertTrue(TestWait.until(() -> node.on(rv::shared)), name + " decides with the cluster");
        return node;
    }

    /** Connects peer {@code n} to {@code node}. */
    void connect(Node node, int n) throws Exception {
        Session s = new Session(n, ConcurrentHashMap.newKeySet());
        node.sessions().put(n, s);
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 20_000 + n);
        assertTrue(node.on(() -> node.rv().connected(KEY, peer(n), at, s)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS).admitted());
    }

    Node nodeOf(int n) {
        return nodes.stream().filter(x -> x.sessions().containsKey(n)).findFirst().orElseThrow();
    }

    /**
     * Starts an introduction of {@code initiator} to {@code target} on the initiator's node's thread, the
     * initiator's number as its EPD (so the target's Forwarded IHello names it).
     */
    CompletableFuture<Introducer.Outcome<Session>> introduce(int initiator, int target) {
        Node node = nodeOf(initiator);
        Session s = node.sessions().get(initiator);
        InetSocketAddress from = new InetSocketAddress(InetAddress.getLoopbackAddress(), 20_000 + initiator);
        CompletableFuture<Introducer.Outcome<Session>> out = new CompletableFuture<>();
        byte[] epd = {(byte) initiator};
        byte[] tag = new byte[16];
        node.loop().execute(() -> node.rv().introduce(peer(initiator), s, from, peer(target), tag, epd)
                .whenComplete((o, f) -> {
                    if (f == null) {
                        if (o instanceof Introducer.Introduce<Session> i) {
                            // as the server does: the Redirect, then the Forwarded IHello
                            node.rv().forward(i.target(), new ForwardedIHello(epd, i.forward(), tag));
                        }
                        out.complete(o);
                    } else {
                        out.completeExceptionally(f);
                    }
                }));
        return out;
    }

    static boolean introduced(CompletableFuture<Introducer.Outcome<Session>> f) {
        return f.join() instanceof Introducer.Introduce;
    }

    @Test
    void twelveInitiatorsOnThreeNodesAtOnceGetExactlyTheTargetsCap() throws Exception {
        connect(nodes.get(0), 1);
        List<Integer> initiators = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            connect(nodes.get(i % 3), 10 + i);
            initiators.add(10 + i);
        }
        List<CompletableFuture<Introducer.Outcome<Session>>> all = new ArrayList<>();
        for (int i : initiators) {
            all.add(introduce(i, 1));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(3, all.stream().filter(ClusterLedgerTest::introduced).count(), "cap 3, whichever nodes asked");
        assertEquals(3, nodes.get(0).sessions().get(1).forwardedFrom().size());
    }

    @Test
    void anInitiatorAskingTwelveTargetsOnThreeNodesAtOnceGetsExactlyItsCap() throws Exception {
        connect(nodes.get(1), 1);
        List<CompletableFuture<Introducer.Outcome<Session>>> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            connect(nodes.get(i % 3), 10 + i);
        }
        for (int i = 0; i < 12; i++) {
            all.add(introduce(1, 10 + i));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(3, all.stream().filter(ClusterLedgerTest::introduced).count());
    }

    @Test
    void randomIntroductionsFromEveryNodeAtOnceNeverPassAnyPeersCap() throws Exception {
        int peers = 24;
        for (int n = 1; n <= peers; n++) {
            connect(nodes.get(n % 3), n);
        }
        Random random = new Random(7);
        Map<CompletableFuture<Introducer.Outcome<Session>>, int[]> all = new HashMap<>();
        for (int k = 0; k < 400; k++) {
            int a = 1 + random.nextInt(peers);
            int b = 1 + random.nextInt(peers);
            if (a != b) {
                all.put(introduce(a, b), new int[] {a, b});
            }
        }
        CompletableFuture.allOf(all.keySet().toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        Map<Integer, Set<Integer>> met = new HashMap<>();
        int allowed = 0;
        for (var e : all.entrySet()) {
            if (introduced(e.getKey())) {
                allowed++;
                int a = e.getValue()[0];
                int b = e.getValue()[1];
                met.computeIfAbsent(a, x -> new HashSet<>()).add(b);
                met.computeIfAbsent(b, x -> new HashSet<>()).add(a);
                assertTrue(nodeOf(b).sessions().get(b).forwardedFrom().contains(a),
                        b + " was sent the Forwarded IHello of " + a);
            }
        }
        for (int n = 1; n <= peers; n++) {
            Set<Integer> forwarded = nodeOf(n).sessions().get(n).forwardedFrom();
            Set<Integer> known = new HashSet<>(met.getOrDefault(n, Set.of()));
            known.addAll(forwarded);
            assertTrue(known.size() <= 3, "peer " + n + " met " + known + ": more than its cap of 3");
        }
        assertTrue(allowed >= peers, "many introductions were allowed: " + allowed);
    }

    /** Polls a condition for up to ten seconds. */
    static final class TestWait {
        interface Check {
            boolean ok() throws Exception;
        }

        static boolean until(Check check) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (check.ok()) {
                    return true;
                }
                Thread.sleep(20);
            }
            return check.ok();
        }
    }
}
