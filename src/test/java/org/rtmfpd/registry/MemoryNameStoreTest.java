package org.rtmfpd.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rtmfpd.registry.NameStore.Outcome;
import org.rtmfpd.rendezvous.PeerId;

class MemoryNameStoreTest {
    static final long EXPIRY = 1_000;
    static final PeerId A = peer(1);
    static final PeerId B = peer(2);
    final MemoryNameStore store = new MemoryNameStore(EXPIRY, 3, 5);

    static PeerId peer(int n) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) n);
        return PeerId.of(b);
    }

    static UserName name(String s) {
        return UserName.of(s);
    }

    private Outcome register(String key, String n, PeerId p, long now) {
        return store.register(key, name(n), p, now).toCompletableFuture().join().outcome();
    }

    private Optional<PeerId> lookup(String key, String n, long now) {
        return store.lookup(key, name(n), now).toCompletableFuture().join().map(NameStore.Binding::peer);
    }

    @Test
    void registerRefreshAndLookUpIgnoringAsciiCase() {
        assertEquals(Outcome.REGISTERED, register("k", "Alice", A, 0));
        assertEquals(Outcome.REFRESHED, register("k", "ALICE", A, 10));
        assertEquals(Optional.of(A), lookup("k", "alice", 20));
        assertEquals("ALICE", store.lookup("k", name("aLiCe"), 20).toCompletableFuture().join().orElseThrow()
                .name().text(), "the name as last registered, as the original's insert or replace");
        assertEquals(Optional.empty(), lookup("k", "Älice", 20), "only A to Z fold, as COLLATE NOCASE");
    }

    @Test
    void namesOfOneKeyAreInvisibleToAnother() {
        register("k1", "alice", A, 0);
        assertEquals(Optional.empty(), lookup("k2", "alice", 0));
        assertEquals(Outcome.REGISTERED, register("k2", "alice", B, 0));
        assertEquals(Optional.of(A), lookup("k1", "alice", 0));
    }

    @Test
    void anotherPeerCannotRegisterAHeldNameUntilItExpires() {
        register("k", "alice", A, 0);
        NameStore.Registration r = store.register("k", name("alice"), B, EXPIRY).toCompletableFuture().join();
        assertEquals(Outcome.HELD, r.outcome());
        assertEquals(Optional.of(A), r.holder());
        assertEquals(Optional.of(A), lookup("k", "alice", EXPIRY), "alive at exactly the expiry");
        assertEquals(Optional.empty(), lookup("k", "alice", EXPIRY + 1), "expired one millisecond later");
        assertEquals(Outcome.REGISTERED, register("k", "alice", B, EXPIRY + 1));
    }

    @Test
    void refreshMovesTheExpiry() {
        register("k", "alice", A, 0);
        register("k", "alice", A, 900);
        assertEquals(Optional.of(A), lookup("k", "alice", 1_800));
        assertEquals(Optional.empty(), lookup("k", "alice", 1_901));
    }

    @Test
    void takeOverOnlyFromTheHolderSeen() {
        register("k", "alice", A, 0);
        assertFalse(store.takeOver("k", name("alice"), peer(9), B, 1).toCompletableFuture().join(),
                "the name moved on meanwhile");
        assertTrue(store.takeOver("k", name("alice"), A, B, 1).toCompletableFuture().join());
        assertEquals(Optional.of(B), lookup("k", "alice", 1));
        assertEquals(1, store.size());
    }

    @Test
    void unregisterOnlyTheHolderSeen() {
        register("k", "alice", A, 0);
        assertFalse(store.unregister("k", name("alice"), B, 1).toCompletableFuture().join());
        assertTrue(store.unregister("k", name("Alice"), A, 1).toCompletableFuture().join());
        assertEquals(Optional.empty(), lookup("k", "alice", 1));
        assertEquals(0, store.size());
    }

    @Test
    void boundedPerKeyAndInTotalWithExpiredNamesMakingRoom() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Outcome.REGISTERED, register("k1", "n" + i, peer(i), 0));
        }
        assertEquals(Outcome.KEY_FULL, register("k1", "n3", peer(3), 0));
        assertEquals(Outcome.REFRESHED, register("k1", "n0", peer(0), 0), "a refresh needs no room");
        assertEquals(Outcome.REGISTERED, register("k2", "m0", peer(5), 0));
        assertEquals(Outcome.REGISTERED, register("k2", "m1", peer(6), 0));
        assertEquals(Outcome.STORE_FULL, register("k3", "x", peer(7), 0));
        assertEquals(5, store.size());
        assertEquals(Outcome.REGISTERED, register("k3", "x", peer(7), EXPIRY + 1), "expired names were swept");
        assertEquals(1, store.size());
    }

    @Test
    void sweepForgetsExpiredNames() {
        register("k", "a", A, 0);
        register("k", "b", B, 500);
        assertEquals(1, store.sweep(EXPIRY + 1).toCompletableFuture().join());
        assertEquals(1, store.size());
        assertEquals(Optional.of(B), lookup("k", "b", EXPIRY + 1));
    }

    @Test
    void userNamesAreBounded() {
        assertEquals(64, UserName.of("x".repeat(64)).text().length());
        assertThrows(IllegalArgumentException.class, () -> UserName.of("x".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> UserName.of(""));
        assertThrows(IllegalArgumentException.class, () -> UserName.of("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> UserName.of("a\uFFFE"));
        assertThrows(IllegalArgumentException.class, () -> UserName.of("a\uD800"));
        assertEquals("jörg 😀", UserName.of("JöRG 😀").folded());
    }
}
