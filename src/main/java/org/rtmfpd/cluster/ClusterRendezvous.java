package org.rtmfpd.cluster;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.rtmfpd.rendezvous.DeveloperKey;
import org.rtmfpd.rendezvous.GroupId;
import org.rtmfpd.rendezvous.Introducer;
import org.rtmfpd.rendezvous.LocalRendezvous;
import org.rtmfpd.rendezvous.NetGroups;
import org.rtmfpd.rendezvous.Outbox;
import org.rtmfpd.rendezvous.Peer;
import org.rtmfpd.rendezvous.PeerId;
import org.rtmfpd.rendezvous.PeerRegistry;
import org.rtmfpd.rendezvous.Rendezvous;
import org.rtmfpd.wire.ForwardedIHello;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rendezvous of one node of a cluster: this node's sessions in a {@link LocalRendezvous}, and what
 * every node must see in the {@link ClusterStore} (Redis), which decides admissions (cluster-wide
 * max-sessions, one session per peer ID), introductions (the cluster-wide peer-cap ledger) and NetGroup
 * hand-outs. What a decision here asks of another node's session goes there by the {@link Courier}.
 *
 * <p><b>Local first.</b> The initiator of an introduction is always this node's session, checked here
 * without a round trip; a Forwarded IHello for a target on this node goes straight to its session.
 *
 * <p><b>Redis down.</b> While the store is unreachable (its connection reports it, or a call fails),
 * every decision is the local rendezvous's: this node keeps serving its own clients, introducing them to
 * each other and grouping them, with the peer cap and max-sessions counted on this node alone. The local
 * rendezvous mirrors every registration and group place all along, so nothing is lost; when the store is
 * back, this node publishes its peers and group places again, in join order, before it asks the store
 * again, and with them the pairs of the peer-cap ledger it remembers for its peers (those made during
 * the outage too), so that the cap does not count again from zero. A single call that
 * fails (a timeout) is handled the same way: local decisions until the next heartbeat has published
 * this node's state again, so that nothing admitted meanwhile is missing from the cluster.
 *
 * <p>Runs on the protocol thread: every call is made there, and every stage it returns completes there
 * ({@code loop}), as do the courier's deliveries.
 *
 * @param <H> the server's session handle
 */
public final class ClusterRendezvous<H> implements Rendezvous<H> {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRendezvous.class);

    private final LocalRendezvous<H> local;
    private final ClusterStore store;
    private final Courier courier;
    private final Executor loop;
    private final Function<String, Optional<DeveloperKey>> keys;
    private final Introducer<H> introducer;
    private final int maxGroupsPerPeer;
    private Outbox<H> outbox;
    /** The store answers (and this node's state is published in it): decisions are the cluster's. */
    private volatile boolean shared;
    /** The store's connection is up (its last event said so). */
    private volatile boolean connected;
    /** A republish is under way. */
    private boolean republishing;
    /**
     * The store may hold anything of this node's (it was unreachable, or is new): the next republish
     * replaces all of it. Otherwise only the {@link #dirty} peers are published again.
     */
    private boolean republishAll = true;
    /** Peers admitted, changed, grouped or closed here while this node decided alone. */
    private final java.util.Set<PeerId> dirty = new java.util.HashSet<>();
    /** The addresses this node's heartbeats advertise (the last ones given). */
    private volatile List<String> advertise = List.of();
    private long republishes;
    private long fallbacks;
    /** The ledger's pairs of this node's peers, published again after an outage. */
    private final PairMemory pairs = new PairMemory();
    /**
     * The ledger's epoch when this node last recorded its pairs again: a node leaving or publishing its
     * state again (after an outage) releases pairs, and moves the epoch on; at its next heartbeat every
     * node sees that and records the pairs it remembers again.
     */
    private long restoredEpoch = -1;
    /** The live nodes and their load, as of the last heartbeat. */
    private volatile List<ClusterStore.NodeLoad> liveNodes = List.of();

    /**
     * @param local the node's own state, named by the node ID ({@link LocalRendezvous#node()})
     * @param loop  the protocol thread, where answers and deliveries are handed over
     */
    public ClusterRendezvous(LocalRendezvous<H> local, ClusterStore store, Courier courier, Executor loop,
            Function<String, Optional<DeveloperKey>> keys) {
        this.local = Objects.requireNonNull(local, "local");
        this.store = Objects.requireNonNull(store, "store");
        this.courier = Objects.requireNonNull(courier, "courier");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.introducer = local.introducer();
        this.maxGroupsPerPeer = local.groups().maxGroupsPerPeer();
    }

    @Override
    public String node() {
        return local.node();
    }

    @Override
    public void outbox(Outbox<H> outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        // The local mirror's referrals are sent only while it decides (the store is down); the store's
        // answer for the same event carries the cluster's referrals otherwise.
        local.outbox(new Outbox<>() {
            @Override
            public void forward(H target, ForwardedIHello forward) {
                outbox.forward(target, forward);
            }

            @Override
            public void refer(H recipient, GroupId group, PeerId member) {
                if (!shared) {
                    outbox.refer(recipient, group, member);
                }
            }

            @Override
            public void evict(H replaced) {
                outbox.evict(replaced);
            }
        });
        courier.receive(node(), d -> loop.execute(() -> deliver(d)));
    }

    @Override
    public int peerCapOf(String developerKey) {
        return local.peerCapOf(developerKey);
    }

    /** Whether decisions are the cluster's now (false while Redis is unreachable or being republished to). */
    public boolean shared() {
        return shared;
    }

    /** Times this node published its state again after an outage. */
    public long republishCount() {
        return republishes;
    }

    /** Calls that failed in the store and were decided locally. */
    public long fallbackCount() {
        return fallbacks;
    }

    // ---- the store's state ---------------------------------------------------------------------

    /**
     * The store's connection went up or down (from its connection's events; on any thread). Down: local
     * decisions from now on. Up: this node's peers and group places are published again, then the
     * cluster decides again.
     */
    public void onStoreState(boolean up) {
        loop.execute(() -> {
            connected = up;
            if (!up) {
                republishAll = true;
                if (shared) {
                    LOG.warn("cluster store unreachable: node {} serves its own clients alone", node());
                }
                shared = false;
                return;
            }
            rejoin();
        });
    }

    /**
     * Publishes this node's state again and then decides with the cluster, unless that is already under
     * way or done. On the protocol thread.
     */
    private void rejoin() {
        if (shared || republishing || !connected) {
            return;
        }
        republishing = true;
        republish().whenComplete((v, failure) -> loop.execute(() -> {
            republishing = false;
            if (failure != null) {
                LOG.debug("publishing node {}'s state again failed ({}); deciding locally, trying again at the next"
                        + " heartbeat", node(), failure.toString());
                return;
            }
            republishes++;
            shared = connected;
            if (shared) {
                LOG.info("cluster store reachable: node {} published {} peers and decides with the cluster",
                        node(), local.localPeers());
            }
        }));
    }

    /**
     * A store call failed while the cluster decided: this node decides alone until its next heartbeat
     * has published its state again, so that what it admitted meanwhile is not missing from the cluster.
     */
    private void degrade() {
        if (shared) {
            LOG.debug("a cluster store call failed: node {} decides alone until its state is published again", node());
            shared = false;
        }
    }

    /**
     * After an outage: what the store holds of this node is removed, then every local peer is admitted
     * (whatever its key's count: they are being served) and every group place joined, in join order.
     * After single failed calls: each peer changed meanwhile is removed and published again, with its
     * group places. Either way the pairs this node remembers for its peers are then recorded again
     * (where both sides are live), and once more at the next heartbeat, when the other nodes have
     * published their peers too.
     */
    private CompletionStage<Void> republish() {
        boolean all = republishAll;
        java.util.Set<PeerId> changed = java.util.Set.copyOf(dirty);
        CompletionStage<?> cleared = all
                ? store.leaveCluster(node()).thenAccept(referrals -> loop.execute(() -> deliver(referrals)))
                : CompletableFuture.completedFuture(null);
        Map<PeerId, List<PeerId>> remembered = pairs.snapshot();
        return cleared.thenCompose(x -> store.heartbeat(node(), advertise))
                .thenCompose(x -> all ? CompletableFuture.completedFuture(null) : removeAll(changed))
                .thenCompose(x -> admitAll(all ? null : changed))
                .thenCompose(x -> restorePairs(remembered))
                .thenAccept(x -> loop.execute(() -> {
                    if (all) {
                        republishAll = false;
                        dirty.clear();
                    } else {
                        dirty.removeAll(changed);
                    }
                }));
    }

    /** Records the remembered pairs again in the store's ledger (nothing to ask when there are none). */
    private CompletionStage<Void> restorePairs(Map<PeerId, List<PeerId>> remembered) {
        if (remembered.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return store.restorePairs(node(), remembered).thenAccept(n -> {
            if (n > 0) {
                LOG.info("node {} recorded {} pairs of the peer-cap ledger again", node(), n);
            }
        });
    }

    private CompletionStage<Void> removeAll(java.util.Set<PeerId> peers) {
        List<CompletableFuture<?>> removed = new ArrayList<>();
        for (PeerId p : peers) {
            removed.add(store.remove(p, node())
                    .thenAccept(referrals -> loop.execute(() -> deliver(referrals))).toCompletableFuture());
        }
        return CompletableFuture.allOf(removed.toArray(CompletableFuture[]::new));
    }

    /** Admits this node's peers ({@code only} those, when not null), then joins their group places in order. */
    private CompletionStage<Void> admitAll(java.util.Set<PeerId> only) {
        List<CompletableFuture<?>> peers = new ArrayList<>();
        for (PeerRegistry.Entry<H> e : local.registry().entries()) {
            if (only == null || only.contains(e.peerId())) {
                peers.add(store.admit(Peer.of(e, node()), Integer.MAX_VALUE).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(peers.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            CompletionStage<?> chain = CompletableFuture.completedFuture(null);
            for (NetGroups.Membership m : local.groups().memberships()) {
                if (only == null || only.contains(m.peer())) {
                    chain = chain.thenCompose(x -> store.join(m.developerKey(), m.group(), m.peer(), node(), m.cap(),
                            maxGroupsPerPeer));
                }
            }
            return chain.thenApply(x -> null);
        });
    }

    /** Heartbeat, then sweep of dead nodes (scheduled by the server, a few times per node lifetime). */
    public CompletionStage<Void> heartbeat(List<String> advertise) {
        return heartbeat(advertise, 0, Integer.MAX_VALUE, false);
    }

    /**
     * Heartbeat with this node's load (its sessions, max-sessions, and whether it drains), then sweep of
     * dead nodes; records the remembered pairs again if the ledger's epoch moved on.
     */
    public CompletionStage<Void> heartbeat(List<String> advertise, int sessions, int maxSessions, boolean draining) {
        this.advertise = List.copyOf(advertise);
        return store.heartbeat(new ClusterStore.NodeLoad(node(), advertise, sessions, maxSessions, draining))
                .thenCompose(beat -> store.sweep().thenApply(referrals -> {
                    loop.execute(() -> {
                        liveNodes = beat.live();
                        if (beat.lapsed() && !republishing && !republishAll) {
                            // silent for a lifetime (its calls failed while its connection stayed up): the
                            // others may have swept its peers, so all of them are published again
                            LOG.warn("node {} was taken for dead by the cluster: publishing its state again", node());
                            republishAll = true;
                            shared = false;
                        }
                        deliver(referrals);
                        if (shared && beat.epoch() != restoredEpoch) {
                            restoredEpoch = beat.epoch();
                            restorePairs(pairs.snapshot()).exceptionally(this::failedQuietly);
                        }
                        rejoin();
                    });
                    return null;
                }));
    }

    /** The live nodes of the cluster (this one too) with their load, as of the last heartbeat. */
    public List<ClusterStore.NodeLoad> liveNodes() {
        return liveNodes;
    }

    // ---- the rendezvous ------------------------------------------------------------------------

    @Override
    public CompletionStage<Admission> connected(String developerKey, PeerId peer, InetSocketAddress observed,
            H handle) {
        Optional<DeveloperKey> key = keys.apply(developerKey);
        if (key.isEmpty()) {
            return CompletableFuture.completedFuture(Admission.UNKNOWN_KEY);
        }
        if (!shared) {
            return alone(peer, local.connected(developerKey, peer, observed, handle));
        }
        Peer record = new Peer(developerKey, peer, observed, List.of(), node());
        return onLoop(store.admit(record, key.get().maxSessionsOrUnlimited()), admit -> {
            if (admit.status() == ClusterStore.Admitted.MAX_SESSIONS) {
                return Admission.MAX_SESSIONS;
            }
            Admission here = local.admit(developerKey, peer, observed, handle, Integer.MAX_VALUE);
            admit.replaced().filter(old -> !old.node().equals(node()))
                    .ifPresent(old -> courier.send(old.node(), new Delivery.Evict(peer)));
            deliver(admit.referrals());
            return admit.status() == ClusterStore.Admitted.REPLACED ? Admission.REPLACED : here;
        }, () -> alone(peer, local.connected(developerKey, peer, observed, handle)));
    }

    /** An answer this node gave alone about {@code peer}: the peer is published again with the next republish. */
    private <T> CompletionStage<T> alone(PeerId peer, CompletionStage<T> answer) {
        dirty.add(peer);
        return answer;
    }

    @Override
    public void peerInfo(PeerId peer, H handle, List<InetSocketAddress> reported) {
        local.peerInfo(peer, handle, reported);
        publish(peer, handle);
    }

    @Override
    public void addressChanged(PeerId peer, H handle, InetSocketAddress observed) {
        local.addressChanged(peer, handle, observed);
        publish(peer, handle);
    }

    private void publish(PeerId peer, H handle) {
        if (!shared) {
            dirty.add(peer);
        } else {
            local.local(peer).filter(e -> e.handle() == handle)
                    .ifPresent(e -> store.update(Peer.of(e, node())).exceptionally(this::failedQuietly));
        }
    }

    @Override
    public CompletionStage<Introducer.Outcome<H>> introduce(PeerId initiator, H handle, InetSocketAddress from,
            PeerId target, byte[] tag) {
        if (!shared) {
            return introduceAlone(initiator, handle, from, target, tag);
        }
        Introducer.check(initiator, handle, from, target, tag);
        PeerRegistry.Entry<H> me = local.local(initiator).filter(e -> e.handle() == handle).orElse(null);
        if (me == null) {
            return done(introducer.refuse(Introducer.Reason.INITIATOR_NOT_REGISTERED, initiator, from, target));
        }
        if (initiator.equals(target)) {
            return done(introducer.refuse(Introducer.Reason.SELF, initiator, from, target));
        }
        int cap = peerCapOf(me.developerKey());
        return onLoop(store.pair(initiator, node(), target, cap), pairing -> {
            if (pairing instanceof ClusterStore.Paired paired) {
                remember(initiator, target, cap);
                return introducer.introduce(me, from, paired.target(), tag, paired.newPair());
            }
            return introducer.refuse(((ClusterStore.Refused) pairing).reason(), initiator, from, target);
        }, () -> introduceAlone(initiator, handle, from, target, tag));
    }

    /** An introduction decided by this node alone; its pair is remembered for the next republish. */
    private CompletionStage<Introducer.Outcome<H>> introduceAlone(PeerId initiator, H handle, InetSocketAddress from,
            PeerId target, byte[] tag) {
        return local.introduce(initiator, handle, from, target, tag).thenApply(outcome -> {
            if (outcome instanceof Introducer.Introduce<H> i) {
                remember(initiator, target, peerCapOf(i.initiator().developerKey()));
            }
            return outcome;
        });
    }

    /** A pair of the ledger with this node's {@code initiator} (and {@code target}, if it is this node's too). */
    private void remember(PeerId initiator, PeerId target, int cap) {
        pairs.add(initiator, target, cap);
        if (local.local(target).isPresent()) {
            pairs.add(target, initiator, cap);
        }
    }

    @Override
    public void forward(Peer target, ForwardedIHello forward) {
        if (target.node().equals(node())) {
            local.forward(target, forward);
        } else {
            courier.send(target.node(),
                    new Delivery.Forward(target.peerId(), forward.epd(), forward.replyAddress(), forward.tag()));
        }
    }

    @Override
    public CompletionStage<Optional<Peer>> openIntroduction(PeerId target) {
        if (!shared || local.local(target).isPresent()) {
            return local.openIntroduction(target);
        }
        // The target's key, and so its own cap, is known only once it is found: the server's cap bounds it.
        return onLoop(store.openTarget(target, local.peerCapOf("")), found -> found,
                () -> local.openIntroduction(target));
    }

    /**
     * Whether {@code peer} is connected with {@code developerKey} on any node (the name registry's
     * question): this node's sessions at once, the cluster's otherwise; false when the store cannot say.
     */
    public CompletionStage<Boolean> isConnected(String developerKey, PeerId peer) {
        if (local.local(peer).filter(e -> e.developerKey().equals(developerKey)).isPresent()) {
            return CompletableFuture.completedFuture(true);
        }
        if (!shared) {
            return CompletableFuture.completedFuture(false);
        }
        // A cap above any key's: the record is answered whatever pairs the peer holds.
        return store.openTarget(peer, DeveloperKey.MAX_PEER_CAP + 1)
                .thenApply(found -> found.filter(p -> p.developerKey().equals(developerKey)).isPresent())
                .exceptionally(failure -> false);
    }

    @Override
    public CompletionStage<List<PeerId>> join(PeerId peer, H handle, GroupId group) {
        List<PeerId> here = local.join(peer, handle, group).toCompletableFuture().join();
        Optional<PeerRegistry.Entry<H>> me = local.local(peer).filter(e -> e.handle() == handle);
        if (!shared || me.isEmpty() || !local.groups().members(me.get().developerKey(), group).contains(peer)) {
            dirty.add(peer);
            return CompletableFuture.completedFuture(here);
        }
        String key = me.get().developerKey();
        return onLoop(store.join(key, group, peer, node(), peerCapOf(key), maxGroupsPerPeer), members -> members,
                () -> alone(peer, CompletableFuture.completedFuture(here)));
    }

    @Override
    public void leave(PeerId peer, H handle, GroupId group) {
        Optional<PeerRegistry.Entry<H>> me = local.local(peer).filter(e -> e.handle() == handle);
        local.leave(peer, handle, group);
        if (!shared) {
            dirty.add(peer);
        } else if (me.isPresent()) {
            store.leave(me.get().developerKey(), group, peer, node())
                    .thenAccept(r -> loop.execute(() -> r.ifPresent(x -> deliver(List.of(x)))))
                    .exceptionally(this::failedQuietly);
        }
    }

    @Override
    public void closed(PeerId peer, H handle) {
        boolean mine = local.local(peer).filter(e -> e.handle() == handle).isPresent();
        local.closed(peer, handle);
        if (mine) {
            pairs.remove(peer);
        }
        if (!shared && mine) {
            dirty.add(peer);
        } else if (mine) {
            store.remove(peer, node())
                    .thenAccept(referrals -> loop.execute(() -> deliver(referrals)))
                    .exceptionally(this::failedQuietly);
        }
    }

    @Override
    public Optional<PeerRegistry.Entry<H>> local(PeerId peer) {
        return local.local(peer);
    }

    @Override
    public int localPeers() {
        return local.localPeers();
    }

    @Override
    public int localPeers(String developerKey) {
        return local.localPeers(developerKey);
    }

    @Override
    public int groupCount() {
        return local.groupCount();
    }

    @Override
    public int groupMemberCount() {
        return local.groupMemberCount();
    }

    /** This node is stopping: its peers leave the cluster at once, rather than after the node lifetime. */
    public CompletionStage<Void> leaveCluster() {
        if (!shared) {
            return CompletableFuture.completedFuture(null);
        }
        shared = false;
        return store.leaveCluster(node()).thenAccept(referrals -> courierReferrals(referrals));
    }

    // ---- deliveries ----------------------------------------------------------------------------

    /** A delivery from another node, on the protocol thread. */
    void deliver(Delivery d) {
        Optional<H> to = local.local(d.peer()).map(PeerRegistry.Entry::handle);
        if (to.isEmpty()) {
            return; // gone meanwhile: as a lost datagram, the client's retransmission asks again
        }
        if (d instanceof Delivery.Forward f) {
            outbox.forward(to.get(), new ForwardedIHello(f.epd(), f.initiator(), f.tag()));
        } else if (d instanceof Delivery.Refer r) {
            outbox.refer(to.get(), r.group(), r.member());
        } else {
            outbox.evict(to.get());
        }
    }

    /** The store's referrals: this node's recipients directly, the others' by the courier. */
    private void deliver(List<ClusterStore.Referral> referrals) {
        for (ClusterStore.Referral r : referrals) {
            if (r.recipientNode().equals(node())) {
                local.local(r.recipient()).ifPresent(e -> outbox.refer(e.handle(), r.group(), r.member()));
            } else {
                courier.send(r.recipientNode(), new Delivery.Refer(r.recipient(), r.group(), r.member()));
            }
        }
    }

    /** Referrals from a node that is leaving: none of the recipients are on it. */
    private void courierReferrals(List<ClusterStore.Referral> referrals) {
        for (ClusterStore.Referral r : referrals) {
            if (!r.recipientNode().equals(node())) {
                courier.send(r.recipientNode(), new Delivery.Refer(r.recipient(), r.group(), r.member()));
            }
        }
    }

    /**
     * The store's answer, turned into this rendezvous's on the protocol thread; if the store failed,
     * the local rendezvous decides instead (counted), so that a client is served whatever Redis does.
     */
    private <T, R> CompletionStage<R> onLoop(CompletionStage<T> asked, Function<T, R> answer,
            java.util.function.Supplier<CompletionStage<R>> locally) {
        CompletableFuture<R> out = new CompletableFuture<>();
        asked.whenComplete((value, failure) -> loop.execute(() -> {
            try {
                if (failure == null) {
                    out.complete(answer.apply(value));
                } else {
                    fallbacks++;
                    degrade();
                    LOG.debug("cluster store call failed, deciding locally: {}", failure.toString());
                    locally.get().whenComplete((v, f) -> {
                        if (f == null) {
                            out.complete(v);
                        } else {
                            out.completeExceptionally(f);
                        }
                    });
                }
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        }));
        return out;
    }

    private Void failedQuietly(Throwable failure) {
        LOG.debug("cluster store update failed: {}", failure.toString());
        loop.execute(this::degrade);
        return null;
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
