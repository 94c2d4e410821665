package org.rtmfpd.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.rendezvous.Ids.addr;
import static org.rtmfpd.rendezvous.Ids.peer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rtmfpd.rendezvous.PeerRegistry.Status;

class PeerRegistryTest {
    /** A session handle: compared by identity, like the server's session objects. */
    static final class Session {
        final String name;

        Session(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    final PeerRegistry<Session> registry = new PeerRegistry<>();
    final Session s1 = new Session("s1");
    final Session s2 = new Session("s2");

    @Test
    void registerAndLookUpWithinTheKey() {
        assertEquals(Status.REGISTERED, registry.register("k", peer(1), addr("203.0.113.5", 4000), s1).status());
        PeerRegistry.Entry<Session> e = registry.lookup("k", peer(1)).orElseThrow();
        assertSame(s1, e.handle());
        assertEquals(addr("203.0.113.5", 4000), e.observed());
        assertEquals(List.of(), e.reported());
        assertEquals("k", e.developerKey());
        assertTrue(registry.lookup("other", peer(1)).isEmpty(), "never across developer keys");
        assertTrue(registry.find(peer(1)).isPresent());
        assertTrue(registry.lookup("k", peer(2)).isEmpty());
        assertEquals(1, registry.size());
        assertEquals(1, registry.size("k"));
        assertEquals(0, registry.size("other"));
    }

    @Test
    void unregisterRemovesAtOnce() {
        registry.register("k", peer(1), addr("203.0.113.5", 4000), s1);
        assertTrue(registry.unregister(peer(1), s1));
        assertTrue(registry.lookup("k", peer(1)).isEmpty());
        assertTrue(registry.find(peer(1)).isEmpty(), "nor under any key");
        assertEquals(0, registry.size("k"));
        assertFalse(registry.unregister(peer(1), s1), "twice is harmless");
    }

    @Test
    void secondSessionReplacesTheFirstAndTheFirstCannotRemoveIt() {
        registry.register("k", peer(1), addr("203.0.113.5", 4000), s1);
        PeerRegistry.Registration<Session> r = registry.register("k", peer(1), addr("203.0.113.5", 4001), s2);
        assertEquals(Status.REPLACED, r.status());
        assertSame(s1, r.replaced().orElseThrow().handle());
        assertFalse(registry.unregister(peer(1), s1), "the old session closing must not remove the new one");
        assertFalse(registry.updateObserved(peer(1), s1, addr("198.51.100.1", 1)));
        assertFalse(registry.updateReported(peer(1), s1, List.of(addr("10.0.0.1", 1))));
        PeerRegistry.Entry<Session> e = registry.lookup("k", peer(1)).orElseThrow();
        assertSame(s2, e.handle());
        assertEquals(addr("203.0.113.5", 4001), e.observed());
        assertEquals(List.of(), e.reported());
        assertEquals(1, registry.size("k"));
    }

    @Test
    void replacementUnderAnotherKeyMovesTheCount() {
        registry.register("k", peer(1), addr("203.0.113.5", 4000), s1);
        registry.register("j", peer(1), addr("203.0.113.5", 4000), s2);
        assertEquals(0, registry.size("k"));
        assertEquals(1, registry.size("j"));
        assertTrue(registry.lookup("k", peer(1)).isEmpty());
    }

    @Test
    void maxSessionsPerKey() {
        assertEquals(Status.REGISTERED, registry.register("k", peer(1), addr("203.0.113.1", 1), s1, 2).status());
        assertEquals(Status.REGISTERED, registry.register("k", peer(2), addr("203.0.113.2", 1), s1, 2).status());
        assertEquals(Status.REFUSED_MAX_SESSIONS,
                registry.register("k", peer(3), addr("203.0.113.3", 1), s1, 2).status());
        assertTrue(registry.find(peer(3)).isEmpty());
        assertEquals(Status.REGISTERED, registry.register("j", peer(3), addr("203.0.113.3", 1), s1, 2).status(),
                "the limit is per key");
        assertEquals(Status.REPLACED, registry.register("k", peer(2), addr("203.0.113.2", 2), s2, 2).status(),
                "a replacement takes no extra place");
        registry.unregister(peer(1), s1);
        assertEquals(Status.REGISTERED, registry.register("k", peer(4), addr("203.0.113.4", 1), s1, 2).status());
    }

    @Test
    void updatesReplaceTheEntry() {
        registry.register("k", peer(1), addr("203.0.113.5", 4000), s1);
        assertTrue(registry.updateReported(peer(1), s1, List.of(addr("192.168.1.5", 4000), addr("192.168.1.5", 4000),
                addr("10.0.0.5", 4000))));
        assertEquals(List.of(addr("192.168.1.5", 4000), addr("10.0.0.5", 4000)),
                registry.find(peer(1)).orElseThrow().reported(), "repeats dropped, order kept");
        assertTrue(registry.updateObserved(peer(1), s1, addr("198.51.100.7", 5000)));
        PeerRegistry.Entry<Session> e = registry.find(peer(1)).orElseThrow();
        assertEquals(addr("198.51.100.7", 5000), e.observed());
        assertEquals(2, e.reported().size(), "reported addresses survive an address change");
        assertSame(s1, e.handle());
        assertFalse(registry.updateObserved(peer(9), s1, addr("198.51.100.7", 5000)), "unknown peer");
    }

    @Test
    void reportedAddressesAreBounded() {
        registry.register("k", peer(1), addr("203.0.113.5", 4000), s1);
        List<InetSocketAddress> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(addr("10.0.0." + (i + 1), 1000));
        }
        registry.updateReported(peer(1), s1, many);
        assertEquals(PeerRegistry.MAX_REPORTED, registry.find(peer(1)).orElseThrow().reported().size());
        assertEquals(many.subList(0, PeerRegistry.MAX_REPORTED), registry.find(peer(1)).orElseThrow().reported());
    }

    @Test
    void unresolvedAddressesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> registry.register("k", peer(1), InetSocketAddress.createUnresolved("example.org", 1), s1));
        registry.register("k", peer(1), addr("203.0.113.5", 4000), s1);
        registry.updateReported(peer(1), s1, List.of(InetSocketAddress.createUnresolved("example.org", 1),
                addr("10.0.0.1", 1)));
        assertEquals(List.of(addr("10.0.0.1", 1)), registry.find(peer(1)).orElseThrow().reported());
    }

    @Test
    void addressTakenOverByAnotherPeerStaysWithTheNewOne() {
        InetSocketAddress a = addr("203.0.113.5", 4000);
        registry.register("k", peer(1), a, s1);
        registry.register("k", peer(2), a, s2); // the NAT handed the mapping to another client
        assertSame(s2, registry.find(peer(2)).orElseThrow().handle());
        registry.unregister(peer(1), s1);
        PeerRegistry.Entry<Session> e = registry.find(peer(2)).orElseThrow();
        assertSame(s2, e.handle());
        assertEquals(a, e.observed(), "peer 1 leaving must not drop peer 2's address");
    }

    @Test
    void concurrentRegisterAndUnregisterLeaveNoGhosts() throws Exception {
        int threads = 4;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    Session s = new Session("x");
                    PeerId id = peer(base + i);
                    InetSocketAddress a = addr("10.1." + ((base + i) / 250) + "." + ((base + i) % 250 + 1), 1);
                    registry.register("k", id, a, s, 1_000_000);
                    if (i % 2 == 0) {
                        registry.unregister(id, s);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(threads * perThread / 2, registry.size());
        assertEquals(threads * perThread / 2, registry.size("k"));
        for (int i = 0; i < threads * perThread; i++) {
            assertEquals(i % perThread % 2 == 1, registry.find(peer(i)).isPresent(), "peer " + i);
        }
    }
}
