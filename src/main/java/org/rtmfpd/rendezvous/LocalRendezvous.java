package org.rtmfpd.rendezvous;

import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;
import org.rtmfpd.wire.ForwardedIHello;

/**
 * The rendezvous of one process (the default): registry, peer-cap ledger, NetGroups and introducer in
 * memory, kept consistent through a session's life. Every stage it returns is complete, and its
 * deliveries go to the outbox before the call returns. Thread-safe; calls for one peer ID (connect,
 * join, leave, close) are serialised on one of a few striped locks, held only for a few map operations
 * and never while the outbox runs.
 *
 * @param <H> the server's session handle, compared by identity
 */
public final class LocalRendezvous<H> implements Rendezvous<H> {
    /** The node name of a rendezvous that is not part of a cluster. */
    public static final String SINGLE_NODE = "local";
    private static final int STRIPES = 64;

    private final String node;
    private final Function<String, Optional<DeveloperKey>> keys;
    private final int serverPeerCap;
    private final PeerRegistry<H> registry = new PeerRegistry<>();
    private final IntroductionLedger ledger = new IntroductionLedger();
    private final NetGroups groups;
    private final Introducer<H> introducer;
    private final Object[] stripes = new Object[STRIPES];
    private volatile Outbox<H> outbox;

    /**
     * @param keys          the current developer keys (the server passes {@code store::find})
     * @param serverPeerCap the server's {@code peer-cap}, for keys that do not set their own
     * @param clock         for the introducer's rotation memory
     * @param random        for the random member of a NetGroup join
     */
    public LocalRendezvous(Function<String, Optional<DeveloperKey>> keys, int serverPeerCap, InstantSource clock,
            RandomGenerator random) {
        this(SINGLE_NODE, keys, serverPeerCap, clock, random);
    }

    /** As above, named {@code node} (a cluster node's local state). */
    public LocalRendezvous(String node, Function<String, Optional<DeveloperKey>> keys, int serverPeerCap,
            InstantSource clock, RandomGenerator random) {
        this(node, keys, serverPeerCap, clock, random, ServerLan.NONE);
    }

    /** As above, for a server behind a NAT whose own private network is {@code lan}. */
    public LocalRendezvous(String node, Function<String, Optional<DeveloperKey>> keys, int serverPeerCap,
            InstantSource clock, RandomGenerator random, ServerLan lan) {
        this(node, keys, serverPeerCap, new Introducer<>(clock, lan), random);
    }

    LocalRendezvous(String node, Function<String, Optional<DeveloperKey>> keys, int serverPeerCap,
            Introducer<H> introducer, RandomGenerator random) {
        if (serverPeerCap < 1) {
            throw new IllegalArgumentException("peer cap must be positive, got " + serverPeerCap);
        }
        this.node = Objects.requireNonNull(node, "node");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.serverPeerCap = serverPeerCap;
        this.groups = new NetGroups(random);
        this.introducer = Objects.requireNonNull(introducer, "introducer");
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public void outbox(Outbox<H> outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    @Override
    public int peerCapOf(String developerKey) {
        return keys.apply(developerKey).map(k -> k.peerCapOr(serverPeerCap)).orElse(serverPeerCap);
    }

    @Override
    public CompletionStage<Admission> connected(String developerKey, PeerId peer, InetSocketAddress observed,
            H handle) {
        Optional<DeveloperKey> key = keys.apply(developerKey);
        if (key.isEmpty()) {
            return CompletableFuture.completedFuture(Admission.UNKNOWN_KEY);
        }
        return CompletableFuture.completedFuture(admit(developerKey, peer, observed, handle,
                key.get().maxSessionsOrUnlimited()));
    }

    /**
     * Registers the session under {@code maxSessions} for its key; an older session with the peer ID is
     * evicted and its groups repaired. Also the cluster's way to admit a client locally.
     */
    public Admission admit(String developerKey, PeerId peer, InetSocketAddress observed, H handle, int maxSessions) {
        List<NetGroups.Referral> referrals;
        Optional<PeerRegistry.Entry<H>> replaced;
        synchronized (stripe(peer)) {
            PeerRegistry.Registration<H> r = registry.register(developerKey, peer, observed, handle, maxSessions);
            switch (r.status()) {
                case REFUSED_MAX_SESSIONS:
                    return Admission.MAX_SESSIONS;
                case REPLACED:
                    ledger.release(peer);
                    ledger.connect(peer);
                    referrals = groups.leaveAll(peer);
                    replaced = r.replaced();
                    break;
                default:
                    ledger.connect(peer);
                    return Admission.ADMITTED;
            }
        }
        replaced.ifPresent(old -> outbox().evict(old.handle()));
        deliver(referrals);
        return Admission.REPLACED;
    }

    @Override
    public void peerInfo(PeerId peer, H handle, List<InetSocketAddress> reported) {
        registry.updateReported(peer, handle, reported);
    }

    @Override
    public void addressChanged(PeerId peer, H handle, InetSocketAddress observed) {
        registry.updateObserved(peer, handle, observed);
    }

    @Override
    public CompletionStage<Introducer.Outcome<H>> introduce(PeerId initiator, H handle, InetSocketAddress from,
            PeerId target, byte[] tag) {
        return CompletableFuture.completedFuture(decide(initiator, handle, from, target, tag, p -> 0));
    }

    /**
     * As {@link #introduce(PeerId, Object, InetSocketAddress, PeerId, byte[])}, on a node of a cluster: each
     * side's cap is lowered by the slots {@code heldElsewhere} says it holds outside this ledger (its pairs
     * with clients of other nodes, and the slots reserved while another node decides).
     */
    public Introducer.Outcome<H> introduce(PeerId initiator, H handle, InetSocketAddress from, PeerId target,
            byte[] tag, ToIntFunction<PeerId> heldElsewhere) {
        return decide(initiator, handle, from, target, tag, heldElsewhere);
    }

    /**
     * The rules of {@link Introducer}, in order: the initiator's session must be the registered one for
     * its peer ID; the target must not be the initiator, must be registered, with the same developer
     * key, and the ledger must allow the pair under both sides' peer caps.
     */
    private Introducer.Outcome<H> decide(PeerId initiatorPeer, H handle, InetSocketAddress from, PeerId target,
            byte[] tag, ToIntFunction<PeerId> heldElsewhere) {
        Introducer.check(initiatorPeer, handle, from, target, tag);
        PeerRegistry.Entry<H> initiator = registry.find(initiatorPeer).filter(e -> e.handle() == handle).orElse(null);
        if (initiator == null) {
            return introducer.refuse(Introducer.Reason.INITIATOR_NOT_REGISTERED, initiatorPeer, from, target);
        }
        if (initiator.peerId().equals(target)) {
            return introducer.refuse(Introducer.Reason.SELF, initiatorPeer, from, target);
        }
        PeerRegistry.Entry<H> found = registry.find(target).orElse(null);
        if (found == null) {
            return introducer.refuse(Introducer.Reason.UNKNOWN_TARGET, initiatorPeer, from, target);
        }
        if (!found.developerKey().equals(initiator.developerKey())) {
            return introducer.refuse(Introducer.Reason.OTHER_DEVELOPER_KEY, initiatorPeer, from, target);
        }
        int cap = peerCapOf(initiator.developerKey());
        IntroductionLedger.Decision decision = ledger.tryIntroduce(initiator.peerId(), target,
                cap - heldElsewhere.applyAsInt(initiator.peerId()), cap - heldElsewhere.applyAsInt(target));
        Introducer.Reason refusal = Introducer.refusalOf(decision);
        if (refusal != null) {
            return introducer.refuse(refusal, initiatorPeer, from, target);
        }
        return introducer.introduce(initiator, from, Peer.of(found, node), tag,
                decision == IntroductionLedger.Decision.INTRODUCED);
    }

    @Override
    public void forward(Peer target, ForwardedIHello forward) {
        registry.find(target.peerId()).ifPresent(e -> outbox().forward(e.handle(), forward));
    }

    @Override
    public CompletionStage<Optional<Peer>> openIntroduction(PeerId target) {
        Optional<Peer> found = registry.find(target)
                .filter(e -> ledger.slotsInUse(target) < peerCapOf(e.developerKey()))
                .map(e -> Peer.of(e, node));
        return CompletableFuture.completedFuture(found);
    }

    @Override
    public CompletionStage<List<PeerId>> join(PeerId peer, H handle, GroupId group) {
        return CompletableFuture.completedFuture(joinNow(peer, handle, group));
    }

    private List<PeerId> joinNow(PeerId peer, H handle, GroupId group) {
        synchronized (stripe(peer)) {
            Optional<PeerRegistry.Entry<H>> me = registered(peer, handle);
            if (me.isEmpty()) {
                return List.of();
            }
            String key = me.get().developerKey();
            return groups.join(key, group, peer, peerCapOf(key));
        }
    }

    @Override
    public void leave(PeerId peer, H handle, GroupId group) {
        Optional<NetGroups.Referral> referral;
        synchronized (stripe(peer)) {
            Optional<PeerRegistry.Entry<H>> me = registered(peer, handle);
            if (me.isEmpty()) {
                return;
            }
            referral = groups.leave(me.get().developerKey(), group, peer);
        }
        referral.ifPresent(r -> deliver(List.of(r)));
    }

    @Override
    public void closed(PeerId peer, H handle) {
        List<NetGroups.Referral> referrals;
        synchronized (stripe(peer)) {
            if (!registry.unregister(peer, handle)) {
                return;
            }
            ledger.release(peer);
            referrals = groups.leaveAll(peer);
        }
        deliver(referrals);
    }

    @Override
    public Optional<PeerRegistry.Entry<H>> local(PeerId peer) {
        return registry.find(peer);
    }

    @Override
    public int localPeers() {
        return registry.size();
    }

    @Override
    public int localPeers(String developerKey) {
        return registry.size(developerKey);
    }

    @Override
    public int groupCount() {
        return groups.groupCount();
    }

    @Override
    public int groupMemberCount() {
        return groups.memberCount();
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

    private Outbox<H> outbox() {
        Outbox<H> o = outbox;
        if (o == null) {
            throw new IllegalStateException("the rendezvous has no outbox: call outbox() before the first session");
        }
        return o;
    }

    private Optional<PeerRegistry.Entry<H>> registered(PeerId peer, H handle) {
        return registry.find(peer).filter(e -> e.handle() == handle);
    }

    private void deliver(List<NetGroups.Referral> referrals) {
        for (NetGroups.Referral r : referrals) {
            registry.lookup(r.developerKey(), r.recipient())
                    .ifPresent(e -> outbox().refer(e.handle(), r.group(), r.member()));
        }
    }

    private Object stripe(PeerId peer) {
        return stripes[Math.floorMod(peer.hashCode(), STRIPES)];
    }
}
