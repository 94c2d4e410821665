package org.rtmfpd.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.rtmfpd.rendezvous.PeerId;

/**
 * A cluster node's {@link NameStore} (Redis, shared by the nodes) that remembers the registrations made
 * through this node, and can {@link #republish} them: after Redis lost its data (a restart without
 * persistence, a failover whose replica missed the last writes), the names come back without waiting for
 * their users to register again. Each is republished with the time it was last refreshed, so it expires
 * when it would have; one held meanwhile by another peer ID is left to it.
 *
 * <p>It remembers at most what the store accepted from this node (the store's bounds), and forgets
 * each registration once it expired, was removed or taken over through this node.
 */
public final class RepublishingNameStore implements NameStore {
    private record Remembered(String developerKey, UserName name, PeerId peer, long refreshedMillis) {
    }

    private final NameStore store;
    private final long expiryMillis;
    /** (developer key, folded name) → the registration made through this node. */
    private final Map<List<String>, Remembered> remembered = new ConcurrentHashMap<>();

    public RepublishingNameStore(NameStore store, long expiryMillis) {
        this.store = Objects.requireNonNull(store, "store");
        if (expiryMillis < 1) {
            throw new IllegalArgumentException("expiry must be positive, got " + expiryMillis);
        }
        this.expiryMillis = expiryMillis;
    }

    private static List<String> id(String developerKey, UserName name) {
        return List.of(developerKey, name.folded());
    }

    @Override
    public CompletionStage<Registration> register(String developerKey, UserName name, PeerId peer, long nowMillis) {
        return store.register(developerKey, name, peer, nowMillis).thenApply(r -> {
            if (r.done()) {
                remembered.put(id(developerKey, name), new Remembered(developerKey, name, peer, nowMillis));
            }
            return r;
        });
    }

    @Override
    public CompletionStage<Boolean> takeOver(String developerKey, UserName name, PeerId holder, PeerId peer,
            long nowMillis) {
        return store.takeOver(developerKey, name, holder, peer, nowMillis).thenApply(taken -> {
            if (taken) {
                remembered.put(id(developerKey, name), new Remembered(developerKey, name, peer, nowMillis));
            }
            return taken;
        });
    }

    @Override
    public CompletionStage<Optional<Binding>> lookup(String developerKey, UserName name, long nowMillis) {
        return store.lookup(developerKey, name, nowMillis);
    }

    @Override
    public CompletionStage<Boolean> unregister(String developerKey, UserName name, PeerId holder, long nowMillis) {
        return store.unregister(developerKey, name, holder, nowMillis).thenApply(removed -> {
            if (removed) {
                remembered.computeIfPresent(id(developerKey, name), (k, r) -> r.peer().equals(holder) ? null : r);
            }
            return removed;
        });
    }

    @Override
    public CompletionStage<Integer> sweep(long nowMillis) {
        forgetExpired(nowMillis);
        return store.sweep(nowMillis);
    }

    @Override
    public int size() {
        return store.size();
    }

    /** Registrations remembered (live or not yet forgotten). */
    public int remembered() {
        return remembered.size();
    }

    /**
     * Registers again every live registration made through this node, each with the time it was last
     * refreshed; answers how many the store holds for it again (a name now held by another peer ID is
     * not, and is forgotten here).
     */
    public CompletionStage<Integer> republish(long nowMillis) {
        forgetExpired(nowMillis);
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (Remembered r : remembered.values()) {
            all.add(store.register(r.developerKey(), r.name(), r.peer(), r.refreshedMillis()).toCompletableFuture()
                    .thenApply(reg -> {
                        if (reg.outcome() == Outcome.HELD) {
                            remembered.remove(id(r.developerKey(), r.name()), r);
                        }
                        return reg.done() ? 1 : 0;
                    }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().mapToInt(CompletableFuture::join).sum());
    }

    private void forgetExpired(long nowMillis) {
        remembered.values().removeIf(r -> nowMillis - r.refreshedMillis() > expiryMillis);
    }
}
