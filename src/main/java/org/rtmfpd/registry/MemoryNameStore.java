package org.rtmfpd.registry;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.rtmfpd.rendezvous.PeerId;

/**
 * The {@link NameStore} of a single node: a map in this process, whose stages are complete when
 * returned. Bounded: at most {@code maxPerKey} names per developer key and {@code maxTotal} in all (a
 * full store first forgets its expired names, then refuses). Expired names are invisible at once and
 * freed by {@link #sweep} or by the next write of the same name. Thread-safe (one lock, held for a
 * few map operations).
 */
public final class MemoryNameStore implements NameStore {
    /** Default bound on the names of one developer key. */
    public static final int DEFAULT_MAX_PER_KEY = 10_000;
    /** Default bound on the names of all keys: some 30 MB of heap at most. */
    public static final int DEFAULT_MAX_TOTAL = 100_000;

    private final long expiryMillis;
    private final int maxPerKey;
    private final int maxTotal;
    private final Map<String, Map<String, Binding>> byKey = new HashMap<>();
    private int total;

    /**
     * @param expiryMillis a registration not refreshed for longer than this expires
     * @param maxPerKey    most names of one developer key
     * @param maxTotal     most names in all
     */
    public MemoryNameStore(long expiryMillis, int maxPerKey, int maxTotal) {
        if (expiryMillis < 1 || maxPerKey < 1 || maxTotal < 1) {
            throw new IllegalArgumentException("expiry and bounds must be positive");
        }
        this.expiryMillis = expiryMillis;
        this.maxPerKey = maxPerKey;
        this.maxTotal = maxTotal;
    }

    public MemoryNameStore(long expiryMillis) {
        this(expiryMillis, DEFAULT_MAX_PER_KEY, DEFAULT_MAX_TOTAL);
    }

    @Override
    public synchronized CompletionStage<Registration> register(String developerKey, UserName name, PeerId peer,
            long nowMillis) {
        Binding old = live(developerKey, name, nowMillis);
        if (old != null && !old.peer().equals(peer)) {
            return done(new Registration(Outcome.HELD, Optional.of(old.peer())));
        }
        if (old == null) {
            Outcome full = room(developerKey, nowMillis);
            if (full != null) {
                return done(new Registration(full, Optional.empty()));
            }
        }
        put(developerKey, new Binding(name, peer, nowMillis));
        return done(new Registration(old == null ? Outcome.REGISTERED : Outcome.REFRESHED, Optional.empty()));
    }

    @Override
    public synchronized CompletionStage<Boolean> takeOver(String developerKey, UserName name, PeerId holder,
            PeerId peer, long nowMillis) {
        Binding old = live(developerKey, name, nowMillis);
        if (old != null && !old.peer().equals(holder) && !old.peer().equals(peer)) {
            return done(false);
        }
        if (old == null && room(developerKey, nowMillis) != null) {
            return done(false);
        }
        put(developerKey, new Binding(name, peer, nowMillis));
        return done(true);
    }

    @Override
    public synchronized CompletionStage<Optional<Binding>> lookup(String developerKey, UserName name,
            long nowMillis) {
        return done(Optional.ofNullable(live(developerKey, name, nowMillis)));
    }

    @Override
    public synchronized CompletionStage<Boolean> unregister(String developerKey, UserName name, PeerId holder,
            long nowMillis) {
        Binding old = live(developerKey, name, nowMillis);
        if (old == null || !old.peer().equals(holder)) {
            return done(false);
        }
        remove(developerKey, name.folded());
        return done(true);
    }

    @Override
    public synchronized CompletionStage<Integer> sweep(long nowMillis) {
        int swept = 0;
        for (Iterator<Map<String, Binding>> keys = byKey.values().iterator(); keys.hasNext(); ) {
            Map<String, Binding> names = keys.next();
            for (Iterator<Binding> it = names.values().iterator(); it.hasNext(); ) {
                if (expired(it.next(), nowMillis)) {
                    it.remove();
                    swept++;
                }
            }
            if (names.isEmpty()) {
                keys.remove();
            }
        }
        total -= swept;
        return done(swept);
    }

    @Override
    public synchronized int size() {
        return total;
    }

    /** The binding of {@code name} if it has not expired; an expired one is dropped on the way. */
    private Binding live(String developerKey, UserName name, long nowMillis) {
        Map<String, Binding> names = byKey.get(developerKey);
        Binding b = names == null ? null : names.get(name.folded());
        if (b != null && expired(b, nowMillis)) {
            remove(developerKey, name.folded());
            return null;
        }
        return b;
    }

    /** Null if one more name of {@code developerKey} fits, else why not (after a sweep, if needed). */
    private Outcome room(String developerKey, long nowMillis) {
        if (total >= maxTotal || count(developerKey) >= maxPerKey) {
            sweep(nowMillis);
        }
        if (count(developerKey) >= maxPerKey) {
            return Outcome.KEY_FULL;
        }
        return total >= maxTotal ? Outcome.STORE_FULL : null;
    }

    private int count(String developerKey) {
        Map<String, Binding> names = byKey.get(developerKey);
        return names == null ? 0 : names.size();
    }

    private void put(String developerKey, Binding b) {
        if (byKey.computeIfAbsent(developerKey, k -> new HashMap<>()).put(b.name().folded(), b) == null) {
            total++;
        }
    }

    private void remove(String developerKey, String folded) {
        Map<String, Binding> names = byKey.get(developerKey);
        if (names != null && names.remove(folded) != null) {
            total--;
            if (names.isEmpty()) {
                byKey.remove(developerKey);
            }
        }
    }

    private boolean expired(Binding b, long nowMillis) {
        return nowMillis - b.refreshedMillis() > expiryMillis;
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
