package org.rtmfpd.rendezvous;

import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The rendezvous state of one server: registry, peer-cap ledger, NetGroups and introducer, kept
 * consistent through a session's life. The session and Flash layers call it at each step: a
 * successful {@code connect}, {@code setPeerInfo}, a verified address change, a peer-ID IHello, a
 * NetGroup join or leave, and the close of the session (whatever the cause). Thread-safe; calls for
 * one peer ID (connect, join, leave, close) are serialised on one of a few striped locks, held only
 * for a few map operations and never while the caller's code runs.
 *
 * @param <H> the server's session handle, compared by identity
 */
public final class Rendezvous<H> {
    private static final int STRIPES = 64;

    /** What {@link #connected} decided. */
    public enum Admission {
        /** Registered; the peer can introduce and be introduced, and join groups. */
        ADMITTED,
        /** Registered in place of an older session with the same peer ID (see {@link Connect#replaced()}). */
        REPLACED,
        /** The developer key is not in the keys file (or was revoked): reject the connect. */
        UNKNOWN_KEY,
        /** The developer key already has its max-sessions clients: reject the connect. */
        MAX_SESSIONS
    }

    /**
     * The outcome of {@link #connected}.
     *
     * @param admission what was decided
     * @param replaced  the older session's entry, for {@link Admission#REPLACED}; the server may close it
     * @param referrals to send because the older session left its groups
     */
    public record Connect<H>(Admission admission, Optional<PeerRegistry.Entry<H>> replaced,
            List<Referral<H>> referrals) {
        public Connect {
            referrals = List.copyOf(referrals);
        }

        public boolean admitted() {
            return admission == Admission.ADMITTED || admission == Admission.REPLACED;
        }
    }

    /** Send {@code 0b <member>} to {@code recipient} on its GC flow for {@code group}. */
    public record Referral<H>(PeerRegistry.Entry<H> recipient, GroupId group, PeerId member) {
    }

    private final Function<String, Optional<DeveloperKey>> keys;
    private final int serverPeerCap;
    private final PeerRegistry<H> registry = new PeerRegistry<>();
    private final IntroductionLedger ledger = new IntroductionLedger();
    private final NetGroups groups;
    private final Introducer<H> introducer;
    private final Object[] stripes = new Object[STRIPES];

    /**
     * @param keys          the current developer keys (the server passes {@code store::find})
     * @param serverPeerCap the server's {@code peer-cap}, for keys that do not set their own
     * @param clock         for the introducer's rotation memory
     * @param random        for the random member of a NetGroup join
     */
    public Rendezvous(Function<String, Optional<DeveloperKey>> keys, int serverPeerCap, InstantSource clock,
            RandomGenerator random) {
        if (serverPeerCap < 1) {
            throw new IllegalArgumentException("peer cap must be positive, got " + serverPeerCap);
        }
        this.keys = Objects.requireNonNull(keys, "keys");
        this.serverPeerCap = serverPeerCap;
        this.groups = new NetGroups(random);
        this.introducer = new Introducer<>(registry, ledger, this::peerCapOf, clock);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** The peer cap for clients of {@code developerKey}: the key's own, or the server's. */
    public int peerCapOf(String developerKey) {
        return keys.apply(developerKey).map(k -> k.peerCapOr(serverPeerCap)).orElse(serverPeerCap);
    }

    /** A session completed {@code connect} with {@code developerKey}: admit it, or say why not. */
    public Connect<H> connected(String developerKey, PeerId peer, InetSocketAddress observed, H handle) {
        Optional<DeveloperKey> key = keys.apply(developerKey);
        if (key.isEmpty()) {
            return new Connect<>(Admission.UNKNOWN_KEY, Optional.empty(), List.of());
        }
        synchronized (stripe(peer)) {
            PeerRegistry.Registration<H> r = registry.register(developerKey, peer, observed, handle,
                    key.get().maxSessionsOrUnlimited());
            switch (r.status()) {
                case REFUSED_MAX_SESSIONS:
                    return new Connect<>(Admission.MAX_SESSIONS, Optional.empty(), List.of());
                case REPLACED:
                    ledger.release(peer);
                    ledger.connect(peer);
                    return new Connect<>(Admission.REPLACED, r.replaced(), resolve(groups.leaveAll(peer)));
                default:
                    ledger.connect(peer);
                    return new Connect<>(Admission.ADMITTED, Optional.empty(), List.of());
            }
        }
    }

    /** setPeerInfo: the addresses the client reported. False if the session is not registered. */
    public boolean peerInfo(PeerId peer, H handle, List<InetSocketAddress> reported) {
        return registry.updateReported(peer, handle, reported);
    }

    /** The session's address changed (after the RFC's probe). False if the session is not registered. */
    public boolean addressChanged(PeerId peer, H handle, InetSocketAddress observed) {
        return registry.updateObserved(peer, handle, observed);
    }

    /**
     * A peer-ID IHello for {@code target}, received from {@code from} by the session {@code handle} of
     * peer {@code initiator}; see {@link Introducer}.
     */
    public Introducer.Outcome<H> introduce(PeerId initiator, H handle, InetSocketAddress from, PeerId target,
            byte[] tag) {
        return introducer.introduce(initiator, handle, from, target, tag);
    }

    /**
     * A NetGroup join from the session {@code handle}: the member IDs to send, {@code 0b <id>} each.
     * Empty when the session is not registered.
     */
    public List<PeerId> join(PeerId peer, H handle, GroupId group) {
        synchronized (stripe(peer)) {
            Optional<PeerRegistry.Entry<H>> me = registered(peer, handle);
            if (me.isEmpty()) {
                return List.of();
            }
            String key = me.get().developerKey();
            return groups.join(key, group, peer, peerCapOf(key));
        }
    }

    /** The session's GC flow for {@code group} closed: the referral to send, if any. */
    public Optional<Referral<H>> leave(PeerId peer, H handle, GroupId group) {
        synchronized (stripe(peer)) {
            Optional<PeerRegistry.Entry<H>> me = registered(peer, handle);
            if (me.isEmpty()) {
                return Optional.empty();
            }
            return groups.leave(me.get().developerKey(), group, peer).flatMap(this::resolve);
        }
    }

    /**
     * The session closed or timed out: from now on the peer is neither introduced nor handed out, its
     * peer-cap slots are free, and the returned referrals keep its groups connected. Does nothing if
     * the peer ID now belongs to another session.
     */
    public List<Referral<H>> closed(PeerId peer, H handle) {
        synchronized (stripe(peer)) {
            if (!registry.unregister(peer, handle)) {
                return List.of();
            }
            ledger.release(peer);
            return resolve(groups.leaveAll(peer));
        }
    }

    public PeerRegistry<H> registry() {
        return registry;
    }

    public IntroductionLedger ledger() {
        return ledger;
    }

    public NetGroups groups() {
        return groups;
    }

    public Introducer<H> introducer() {
        return introducer;
    }

    private Optional<PeerRegistry.Entry<H>> registered(PeerId peer, H handle) {
        return registry.find(peer).filter(e -> e.handle() == handle);
    }

    private List<Referral<H>> resolve(List<NetGroups.Referral> referrals) {
        List<Referral<H>> out = new ArrayList<>(referrals.size());
        for (NetGroups.Referral r : referrals) {
            resolve(r).ifPresent(out::add);
        }
        return out;
    }

    private Optional<Referral<H>> resolve(NetGroups.Referral r) {
        return registry.lookup(r.developerKey(), r.recipient())
                .map(e -> new Referral<>(e, r.group(), r.member()));
    }

    private Object stripe(PeerId peer) {
        return stripes[Math.floorMod(peer.hashCode(), STRIPES)];
    }
}
