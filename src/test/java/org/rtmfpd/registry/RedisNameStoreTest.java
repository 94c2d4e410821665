package org.rtmfpd.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.registry.MemoryNameStoreTest.peer;

import io.lettuce.core.ScanArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rtmfpd.cluster.RedisConnection;
import org.rtmfpd.cluster.RedisTestServer;
import org.rtmfpd.registry.NameStore.Outcome;
import org.rtmfpd.rendezvous.PeerId;

/** MemoryNameStoreTest's cases against Redis, with two store instances standing for two nodes. */
class RedisNameStoreTest {
    @RegisterExtension
    static final RedisTestServer server = new RedisTestServer();
    static final long EXPIRY = 60_000;
    static final long T0 = 1_700_000_000_000L;
    static final PeerId A = peer(1);
    static final PeerId B = peer(2);
    static final AtomicInteger namespaces = new AtomicInteger();
    static RedisConnection connection;

    RedisNameStore one;
    RedisNameStore two;
    String namespace;

    @BeforeAll
    static void connect() {
        connection = server.connect();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
    }

    @BeforeEach
    void stores() {
        namespace = "names" + namespaces.incrementAndGet();
        one = new RedisNameStore(connection.commands(), namespace, EXPIRY, 3, 5);
        two = new RedisNameStore(connection.commands(), namespace, EXPIRY, 3, 5);
    }

    static <T> T get(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static UserName name(String s) {
        return UserName.of(s);
    }

    Outcome register(NameStore s, String key, String n, PeerId p, long now) {
        return get(s.register(key, name(n), p, T0 + now)).outcome();
    }

    Optional<PeerId> lookup(NameStore s, String key, String n, long now) {
        return get(s.lookup(key, name(n), T0 + now)).map(NameStore.Binding::peer);
    }

    /** Every key of the registry, its entries and its index sets, lives no longer than the registry's expiry. */
    @Test
    void nothingOutlivesTheExpiry() {
        assertEquals(Outcome.REGISTERED, register(one, "k", "Alice", A, 0));
        var keys = get(connection.commands().keys("{" + namespace + "}:*"));
        assertEquals(3, keys.size(), keys.toString());
        for (String key : keys) {
            long ttl = get(connection.commands().pttl(key));
            assertTrue(ttl > 0 && ttl <= EXPIRY, key + " lives " + ttl + " ms");
        }
    }

    @Test
    void registerOnOneNodeLookUpOnTheOtherIgnoringAsciiCase() {
        assertEquals(Outcome.REGISTERED, register(one, "k", "Alice", A, 0));
        assertEquals(Outcome.REFRESHED, register(two, "k", "ALICE", A, 10));
        assertEquals(Optional.of(A), lookup(one, "k", "alice", 20));
        NameStore.Binding b = get(two.lookup("k", name("aLiCe"), T0 + 20)).orElseThrow();
        assertEquals("ALICE", b.name().text());
        assertEquals(T0 + 10, b.refreshedMillis());
        assertEquals(Optional.empty(), lookup(two, "k", "Älice", 20));
    }

    @Test
    void namesOfOneKeyAreInvisibleToAnother() {
        register(one, "k1", "alice", A, 0);
        assertEquals(Optional.empty(), lookup(two, "k2", "alice", 0));
        assertEquals(Outcome.REGISTERED, register(two, "k2", "alice", B, 0));
        assertEquals(Optional.of(A), lookup(two, "k1", "alice", 0));
    }

    @Test
    void anotherPeerCannotRegisterAHeldNameUntilItExpires() {
        register(one, "k", "alice", A, 0);
        NameStore.Registration r = get(two.register("k", name("alice"), B, T0 + EXPIRY));
        assertEquals(Outcome.HELD, r.outcome());
        assertEquals(Optional.of(A), r.holder());
        assertEquals(Optional.of(A), lookup(two, "k", "alice", EXPIRY), "alive at exactly the expiry");
        assertEquals(Optional.empty(), lookup(two, "k", "alice", EXPIRY + 1), "expired one millisecond later");
        assertEquals(Outcome.REGISTERED, register(two, "k", "alice", B, EXPIRY + 1));
    }

    @Test
    void refreshMovesTheExpiry() {
        register(one, "k", "alice", A, 0);
        register(two, "k", "alice", A, 50_000);
        assertEquals(Optional.of(A), lookup(one, "k", "alice", 110_000));
        assertEquals(Optional.empty(), lookup(one, "k", "alice", 110_001));
    }

    @Test
    void takeOverOnlyFromTheHolderSeen() {
        register(one, "k", "alice", A, 0);
        assertFalse(get(two.takeOver("k", name("alice"), peer(9), B, T0 + 1)));
        assertTrue(get(two.takeOver("k", name("alice"), A, B, T0 + 1)));
        assertEquals(Optional.of(B), lookup(one, "k", "alice", 1));
        assertEquals(1, two.size());
    }

    @Test
    void unregisterOnlyTheHolderSeen() {
        register(one, "k", "alice", A, 0);
        assertFalse(get(two.unregister("k", name("alice"), B, T0 + 1)));
        assertTrue(get(two.unregister("k", name("Alice"), A, T0 + 1)));
        assertEquals(Optional.empty(), lookup(one, "k", "alice", 1));
        assertEquals(0, two.size());
    }

    @Test
    void boundsHoldAcrossNodesWithExpiredNamesMakingRoom() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Outcome.REGISTERED, register(i % 2 == 0 ? one : two, "k1", "n" + i, peer(i), 0));
        }
        assertEquals(Outcome.KEY_FULL, register(two, "k1", "n3", peer(3), 0));
        assertEquals(Outcome.REFRESHED, register(one, "k1", "n0", peer(0), 0), "a refresh needs no room");
        assertEquals(Outcome.REGISTERED, register(two, "k2", "m0", peer(5), 0));
        assertEquals(Outcome.REGISTERED, register(one, "k2", "m1", peer(6), 0));
        assertEquals(Outcome.STORE_FULL, register(two, "k3", "x", peer(7), 0));
        assertEquals(5, two.size());
        assertEquals(Outcome.REGISTERED, register(one, "k3", "x", peer(7), EXPIRY + 1), "expired names were swept");
        assertEquals(1, one.size());
    }

    @Test
    void sweepForgetsExpiredNames() {
        register(one, "k", "a", A, 0);
        register(two, "k", "b", B, 500);
        assertEquals(1, get(two.sweep(T0 + EXPIRY + 1)));
        assertEquals(1, two.size());
        assertEquals(Optional.of(B), lookup(one, "k", "b", EXPIRY + 1));
    }

    @Test
    void twoNodesRacingForOneNameCannotBothWin() {
        List<CompletableFuture<NameStore.Registration>> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add((i % 2 == 0 ? one : two).register("k", name("contested"), peer(10 + i), T0).toCompletableFuture());
        }
        get(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
        assertEquals(1, all.stream().filter(f -> f.join().outcome() == Outcome.REGISTERED).count());
        assertEquals(99, all.stream().filter(f -> f.join().outcome() == Outcome.HELD).count());
    }

    @Test
    void everyKeyExpiresAndTheDeveloperKeyIsNotStored() {
        register(one, "secret-developer-key", "alice", A, 0);
        register(two, "secret-developer-key", "bob", B, 0);
        var redis = connection.commands();
        var keys = get(redis.scan(ScanArgs.Builder.matches("{" + namespace + "}*").limit(1000))).getKeys();
        assertEquals(4, keys.size(), keys.toString());
        for (String k : keys) {
            assertFalse(k.contains("secret"), k);
            long pttl = get(redis.pttl(k));
            assertTrue(pttl > 0 && pttl <= 2 * EXPIRY, k + " has PTTL " + pttl);
        }
    }
}
