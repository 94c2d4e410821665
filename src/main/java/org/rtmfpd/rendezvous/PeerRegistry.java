package org.rtmfpd.rendezvous;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connected clients that can be introduced, by peer ID, each scoped to its developer key.
 *
 * <p>Safe from any thread; no lock is held across a caller's code, and every update is one
 * {@link ConcurrentHashMap#compute} on the peer's own entry. A peer ID is registered at most once: a
 * second session that presents the same certificate replaces the first (the caller decides what to
 * do with the old session, which {@link #register} returns). Updates and {@link #unregister} name the
 * session handle (compared by identity) so that a closing old session can never remove or alter its
 * successor's entry.
 *
 * <p>Entries are found by peer ID only. The registry keeps no index by address: the server already
 * finds a session by the address its packets come from, and names the session (peer ID and handle)
 * when it asks for something. The observed address is kept for what is sent about the peer (the
 * Redirects that introduce it).
 *
 * @param <H> the server's session handle, opaque here
 */
public final class PeerRegistry<H> {
    /** Reported addresses kept per peer; later ones are dropped (a Redirect carries a handful). */
    public static final int MAX_REPORTED = 16;

    /**
     * A registered client; immutable, a new entry replaces it on every change.
     *
     * @param developerKey the key it connected with
     * @param peerId       its peer ID
     * @param observed     the public address its session packets come from (origin OBSERVED)
     * @param reported     the addresses it reported with setPeerInfo (origin REPORTED), at most 16
     * @param handle       the server's session, to send to it
     */
    public record Entry<H>(String developerKey, PeerId peerId, InetSocketAddress observed,
            List<InetSocketAddress> reported, H handle) {
        public Entry {
            Objects.requireNonNull(developerKey, "developerKey");
            Objects.requireNonNull(peerId, "peerId");
            requireResolved(observed);
            reported = List.copyOf(reported);
            Objects.requireNonNull(handle, "handle");
        }

        @Override
        public String toString() {
            return "Entry[" + peerId + " at " + observed + ", " + reported.size() + " reported]";
        }
    }

    /** What {@link #register} did. */
    public enum Status {
        /** The peer ID was free; it is now registered. */
        REGISTERED,
        /** The peer ID belonged to another session, which {@link Registration#replaced()} names. */
        REPLACED,
        /** The developer key already has its max-sessions clients registered; nothing changed. */
        REFUSED_MAX_SESSIONS
    }

    /** The outcome of {@link #register}: the status, and the entry that was replaced, if any. */
    public record Registration<H>(Status status, Optional<Entry<H>> replaced) {
    }

    private final ConcurrentHashMap<PeerId, Entry<H>> byPeer = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> perKey = new ConcurrentHashMap<>();

    /** As {@link #register(String, PeerId, InetSocketAddress, Object, int)} with no session limit. */
    public Registration<H> register(String developerKey, PeerId peerId, InetSocketAddress observed, H handle) {
        return register(developerKey, peerId, observed, handle, Integer.MAX_VALUE);
    }

    /**
     * Registers a client that has connected with {@code developerKey}, unless that key already has
     * {@code maxSessions} clients registered. Its reported addresses start empty.
     */
    public Registration<H> register(String developerKey, PeerId peerId, InetSocketAddress observed, H handle,
            int maxSessions) {
        Entry<H> fresh = new Entry<>(developerKey, peerId, observed, List.of(), handle);
        Object[] replaced = new Object[1];
        boolean[] refused = new boolean[1];
        byPeer.compute(peerId, (id, old) -> {
            boolean sameKey = old != null && old.developerKey().equals(developerKey);
            if (!sameKey && !reserve(developerKey, maxSessions)) {
                refused[0] = true;
                return old;
            }
            if (old != null) {
                if (!sameKey) {
                    counter(old.developerKey()).decrementAndGet();
                }
                replaced[0] = old;
            }
            return fresh;
        });
        if (refused[0]) {
            return new Registration<>(Status.REFUSED_MAX_SESSIONS, Optional.empty());
        }
        @SuppressWarnings("unchecked")
        Entry<H> old = (Entry<H>) replaced[0];
        return old == null
                ? new Registration<>(Status.REGISTERED, Optional.empty())
                : new Registration<>(Status.REPLACED, Optional.of(old));
    }

    /** Records a verified address change of the session {@code handle}; false if it is not registered. */
    public boolean updateObserved(PeerId peerId, H handle, InetSocketAddress observed) {
        requireResolved(observed);
        boolean[] done = new boolean[1];
        byPeer.computeIfPresent(peerId, (id, old) -> {
            if (old.handle() != handle) {
                return old;
            }
            done[0] = true;
            return new Entry<>(old.developerKey(), id, observed, old.reported(), handle);
        });
        return done[0];
    }

    /**
     * Replaces the reported addresses of the session {@code handle} (setPeerInfo); keeps the first
     * {@link #MAX_REPORTED} distinct resolved ones. False if the session is not registered.
     */
    public boolean updateReported(PeerId peerId, H handle, List<InetSocketAddress> reported) {
        List<InetSocketAddress> kept = new ArrayList<>();
        for (InetSocketAddress a : reported) {
            if (kept.size() == MAX_REPORTED) {
                break;
            }
            if (a != null && !a.isUnresolved() && !kept.contains(a)) {
                kept.add(a);
            }
        }
        boolean[] done = new boolean[1];
        byPeer.computeIfPresent(peerId, (id, old) -> {
            if (old.handle() != handle) {
                return old;
            }
            done[0] = true;
            return new Entry<>(old.developerKey(), id, old.observed(), kept, handle);
        });
        return done[0];
    }

    /**
     * Removes the entry of the session {@code handle}, at once; false if the peer ID is not registered
     * or belongs to another session now.
     */
    public boolean unregister(PeerId peerId, H handle) {
        boolean[] done = new boolean[1];
        byPeer.computeIfPresent(peerId, (id, old) -> {
            if (old.handle() != handle) {
                return old;
            }
            done[0] = true;
            counter(old.developerKey()).decrementAndGet();
            return null;
        });
        return done[0];
    }

    /** The peer registered under {@code peerId} with {@code developerKey}; never one of another key. */
    public Optional<Entry<H>> lookup(String developerKey, PeerId peerId) {
        Entry<H> e = byPeer.get(peerId);
        return e != null && e.developerKey().equals(developerKey) ? Optional.of(e) : Optional.empty();
    }

    /** The peer registered under {@code peerId}, whatever its key (to tell apart the refusals). */
    public Optional<Entry<H>> find(PeerId peerId) {
        return Optional.ofNullable(byPeer.get(peerId));
    }

    /** A snapshot of every registered entry, in no order (to publish them again to a cluster store). */
    public List<Entry<H>> entries() {
        return List.copyOf(byPeer.values());
    }

    /** Registered peers, all keys. */
    public int size() {
        return byPeer.size();
    }

    /** Registered peers of one developer key. */
    public int size(String developerKey) {
        AtomicInteger n = perKey.get(developerKey);
        return n == null ? 0 : n.get();
    }

    private boolean reserve(String key, int max) {
        AtomicInteger n = counter(key);
        while (true) {
            int now = n.get();
            if (now >= max) {
                return false;
            }
            if (n.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private AtomicInteger counter(String key) {
        return perKey.computeIfAbsent(key, k -> new AtomicInteger());
    }

    private static void requireResolved(InetSocketAddress a) {
        Objects.requireNonNull(a, "address");
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + a);
        }
    }
}
