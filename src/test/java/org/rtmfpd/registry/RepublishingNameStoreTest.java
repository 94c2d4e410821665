package org.rtmfpd.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.rendezvous.Ids.peer;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.rtmfpd.rendezvous.PeerId;

/** A node's names registered again after the shared store lost them (an in-memory store stands for Redis). */
class RepublishingNameStoreTest {
    static final long EXPIRY = 60_000;
    static final String KEY = "app";
    final MemoryNameStore shared = new MemoryNameStore(EXPIRY);
    final RepublishingNameStore node = new RepublishingNameStore(shared, EXPIRY);

    static <T> T now(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    Optional<PeerId> holder(String name, long at) {
        return now(shared.lookup(KEY, UserName.of(name), at)).map(NameStore.Binding::peer);
    }

    /** The shared store loses every name (Redis restarted empty). */
    void lose(String name, PeerId holder) {
        assertTrue(now(shared.unregister(KEY, UserName.of(name), holder, 0)));
    }

    @Test
    void namesRegisteredThroughTheNodeComeBackWithTheirOwnExpiry() {
        assertTrue(now(node.register(KEY, UserName.of("Alice"), peer(1), 1_000)).done());
        assertTrue(now(node.register(KEY, UserName.of("bob"), peer(2), 2_000)).done());
        assertTrue(now(node.register(KEY, UserName.of("bob"), peer(2), 30_000)).done(), "refreshed");
        lose("alice", peer(1));
        lose("bob", peer(2));
        assertEquals(2, now(node.republish(40_000)));
        assertEquals(Optional.of(peer(1)), holder("alice", 40_000));
        assertEquals("Alice", now(shared.lookup(KEY, UserName.of("alice"), 40_000)).orElseThrow().name().text());
        assertEquals(Optional.empty(), holder("alice", 61_001), "it expires when it would have");
        assertEquals(Optional.of(peer(2)), holder("bob", 61_001), "bob's refresh counts");
    }

    @Test
    void expiredRemovedAndTakenNamesAreNotRegisteredAgain() {
        now(node.register(KEY, UserName.of("old"), peer(1), 0));
        now(node.register(KEY, UserName.of("gone"), peer(2), 50_000));
        now(node.register(KEY, UserName.of("taken"), peer(3), 50_000));
        assertTrue(now(node.unregister(KEY, UserName.of("gone"), peer(2), 50_001)));
        lose("old", peer(1));
        lose("taken", peer(3));
        assertTrue(now(shared.register(KEY, UserName.of("taken"), peer(4), 55_000)).done(), "another peer took it");
        assertEquals(0, now(node.republish(61_000)));
        assertEquals(Optional.empty(), holder("old", 61_000));
        assertEquals(Optional.empty(), holder("gone", 61_000));
        assertEquals(Optional.of(peer(4)), holder("taken", 61_000));
        assertEquals(0, node.remembered(), "all three forgotten");
    }
}
