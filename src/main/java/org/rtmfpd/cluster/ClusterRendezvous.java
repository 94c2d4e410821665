package org.rtmfpd.cluster;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.rtmfpd.wire.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rendezvous of one node of a cluster: this node's sessions in a {@link LocalRendezvous}, and what
 * every node must see in the {@link ClusterStore} (Redis), which decides admissions (cluster-wide
 * max-sessions, one session per peer ID) and NetGroup hand-outs, and finds the targets of introductions.
 * What a decision here asks of another node's session goes there by the {@link Courier}.
 *
 * <p><b>The peer-cap ledger is owned by the nodes.</b> Each node decides the slots of its own peers, on
 * its protocol thread: the pairs of two of its peers in the local rendezvous's ledger, the pairs with
 * clients of other nodes in {@link RemotePairs}. So an introduction of two peers of this node is decided
 * here with no Redis call at all; one to a client of another node takes one Redis call ({@code route}:
 * find the target, and publish the {@link Delivery.Ask} to its node in the same script), a slot reserved
 * here for the initiator meanwhile; the target's node decides its side, sends the Forwarded IHello, and
 * answers ({@link Delivery.Answer}). A peer that leaves tells its partners' nodes
 * ({@link Delivery.Pair}), and partners on a node that died are forgotten at the next heartbeat.
 *
 * <p><b>Redis down.</b> While the store is unreachable (its connection reports it, or a call fails),
 * every decision is the local rendezvous's: this node keeps serving its own clients, introducing them to
 * each other and grouping them, with max-sessions counted on this node alone and the peer cap as ever
 * (the ledger is this node's own, pairs with other nodes' clients included, so Redis loses none of it).
 * The local rendezvous mirrors every registration and group place all along, so nothing is lost; when
 * the store is back, this node publishes its peers and group places again, in join order, before it
 * asks the store again, and tells the other nodes its pairs with their clients again. A single call that
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
    /** This node's peers' pairs with clients of other nodes, and their reserved slots. */
    private final RemotePairs remote = new RemotePairs();
    /** Introductions to clients of other nodes, waiting for the store's route and the target node's answer. */
    private final Map<Long, Asking> asking = new HashMap<>();
    private long asks;
    /** Heartbeats so far: an ask still unanswered two heartbeats later has failed. */
    private long beats;
    /** Nodes of partners that the last heartbeat did not list as alive. */
    private java.util.Set<String> absent = java.util.Set.of();
    /** Called each time this node has published all its state again (the name registry's names follow). */
    private final List<Runnable> republished = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Heartbeats at which this node tells its pairs across nodes again (after it published its state again). */
    private int tellAgain;
    /** Targets of outcomes whose Forwarded IHello their own node sent ({@link #forward} sends nothing more). */
    private final java.util.Set<Peer> forwardedThere = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
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

    /**
     * Runs {@code then} (on the protocol thread) each time this node has published all its state again:
     * after an outage, a Redis that lost its data, or being taken for dead.
     */
    public void onRepublished(Runnable then) {
        republished.add(Objects.requireNonNull(then, "then"));
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
     * (whatever its key's count: they are being served) and every group place joined, in join order, and
     * the nodes of this node's peers' partners are told the pairs again (they forget the pairs of a node
     * they took for dead). After single failed calls: each peer changed meanwhile is removed and
     * published again, with its group places.
     */
    private CompletionStage<Void> republish() {
        boolean all = republishAll;
        java.util.Set<PeerId> changed = java.util.Set.copyOf(dirty);
        CompletionStage<?> cleared = all
                ? store.leaveCluster(node()).thenAccept(referrals -> loop.execute(() -> deliver(referrals)))
                : CompletableFuture.completedFuture(null);
        return cleared.thenCompose(x -> store.heartbeat(node(), advertise))
                .thenCompose(x -> all ? CompletableFuture.completedFuture(null) : removeAll(changed))
                .thenCompose(x -> admitAll(all ? null : changed))
                .thenAccept(x -> loop.execute(() -> {
                    if (all) {
                        republishAll = false;
                        dirty.clear();
                        tellPairsAgain(true);
                        tellAgain = TELL_AGAIN;
                        republished.forEach(Runnable::run);
                    } else {
                        dirty.removeAll(changed);
                    }
                }));
    }

    /**
     * Heartbeats after a republish at which the pairs are told again: a message sent while the Redis
     * connection was settling may be lost, and a node may forget a pair after it was told.
     */
    private static final int TELL_AGAIN = 2;

    /** Tells the nodes of this node's peers' partners every pair again (they may have forgotten them). */
    private void tellPairsAgain(boolean first) {
        remote.forEach((peer, partner, at) -> courier.send(at, new Delivery.Pair(partner, peer, node(), true)));
        if (first && remote.size() > 0) {
            LOG.info("node {} told the other nodes its {} pairs across nodes again", node(), remote.size());
        }
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
     * dead nodes; forgets the pairs with clients of nodes no longer alive, and fails the asks that stayed
     * unanswered since the heartbeat before the last.
     */
    public CompletionStage<Void> heartbeat(List<String> advertise, int sessions, int maxSessions, boolean draining) {
        this.advertise = List.copyOf(advertise);
        return store.heartbeat(new ClusterStore.NodeLoad(node(), advertise, sessions, maxSessions, draining))
                .thenCompose(beat -> store.sweep().thenApply(referrals -> {
                    loop.execute(() -> {
                        liveNodes = beat.live();
                        expireAsks();
                        forgetDeadNodes(beat.live());
                        if (beat.lapsed() && !republishing && !republishAll) {
                            // silent for a lifetime (its calls failed while its connection stayed up): the
                            // others may have swept its peers, so all of them are published again
                            LOG.warn("node {} was taken for dead by the cluster: publishing its state again", node());
                            republishAll = true;
                            shared = false;
                        }
                        deliver(referrals);
                        if (shared && tellAgain > 0) {
                            tellAgain--;
                            tellPairsAgain(false);
                        }
                        rejoin();
                    });
                    return null;
                }));
    }

    /** Asks unanswered since the heartbeat before the last: failed (the initiator's IHello is retried). */
    private void expireAsks() {
        beats++;
        forwardedThere.clear();
        var it = asking.values().iterator();
        while (it.hasNext()) {
            Asking a = it.next();
            if (a.beat < beats - 1) {
                it.remove();
                unreserve(a);
                a.outcome.completeExceptionally(new java.util.concurrent.TimeoutException(
                        "node of " + a.target + " did not answer an introduction"));
            }
        }
    }

    /**
     * Pairs with clients of a node missing from two heartbeats' live nodes in a row hold no slot (it died
     * or left; if it was only taken for dead, it publishes its state again and tells its pairs again).
     */
    private void forgetDeadNodes(List<ClusterStore.NodeLoad> live) {
        java.util.Set<String> missing = remote.nodes();
        live.forEach(n -> missing.remove(n.node()));
        java.util.Set<String> gone = new java.util.HashSet<>(missing);
        gone.retainAll(absent);
        absent = missing;
        int n = gone.isEmpty() ? 0 : remote.dropNodes(gone);
        if (n > 0) {
            LOG.info("node {} forgot {} pairs with clients of nodes that are gone ({})", node(), n, gone);
        }
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
        if (local.local(peer).isPresent()) {
            releaseRemote(peer); // a session replaced here: its pairs go with it
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
        return introduce(initiator, handle, from, target, tag, null);
    }

    /**
     * Two peers of this node: decided here, with no Redis call. A target on another node: one Redis call
     * finds it and sends its node the ask (with {@code epd}, that node also sends the Forwarded IHello;
     * without, {@link #forward} does); a slot of the initiator is reserved until the answer.
     */
    @Override
    public CompletionStage<Introducer.Outcome<H>> introduce(PeerId initiator, H handle, InetSocketAddress from,
            PeerId target, byte[] tag, byte[] epd) {
        if (!shared) {
            return introduceAlone(initiator, handle, from, target, tag);
        }
        Introducer.check(initiator, handle, from, target, tag);
        PeerRegistry.Entry<H> me = local.local(initiator).filter(e -> e.handle() == handle).orElse(null);
        if (me == null) {
            return done(introducer.refuse(Introducer.Reason.INITIATOR_NOT_REGISTERED, initiator, from, target));
        }
        if (initiator.equals(target) || local.local(target).isPresent()) {
            return introduceAlone(initiator, handle, from, target, tag);
        }
        int cap = peerCapOf(me.developerKey());
        boolean repeat = remote.has(initiator, target);
        if (!repeat && slotsInUse(initiator) >= cap) {
            return done(introducer.refuse(Introducer.Reason.INITIATOR_CAP, initiator, from, target));
        }
        long id = ++asks;
        Asking a = new Asking(me, from, tag, target, !repeat, epd != null, beats);
        if (a.reserved) {
            remote.reserve(initiator);
        }
        asking.put(id, a);
        byte[] ask = DeliveryCodec.encode(new Delivery.Ask(target, initiator, node(), id, epd == null ? new byte[0] : epd,
                from, me.reported(), tag));
        store.route(me.developerKey(), target, node(), ask)
                .whenComplete((pairing, failure) -> loop.execute(() -> routed(id, pairing, failure)));
        return a.outcome;
    }

    /** An introduction to a client of another node, under way: its route and its answer may come in either order. */
    private final class Asking {
        final PeerRegistry.Entry<H> initiator;
        final InetSocketAddress from;
        final byte[] tag;
        final PeerId target;
        final boolean reserved;
        final boolean forwardedThere;
        final long beat;
        final CompletableFuture<Introducer.Outcome<H>> outcome = new CompletableFuture<>();
        Peer routed;
        Delivery.Verdict verdict;

        Asking(PeerRegistry.Entry<H> initiator, InetSocketAddress from, byte[] tag, PeerId target, boolean reserved,
                boolean forwardedThere, long beat) {
            this.initiator = initiator;
            this.from = from;
            this.tag = tag;
            this.target = target;
            this.reserved = reserved;
            this.forwardedThere = forwardedThere;
            this.beat = beat;
        }
    }

    /** The store found the target (its node has the ask), refused, or failed (decided alone). */
    private void routed(long id, ClusterStore.Pairing pairing, Throwable failure) {
        Asking a = asking.get(id);
        if (a == null) {
            return;
        }
        if (failure != null) {
            asking.remove(id);
            unreserve(a);
            fallbacks++;
            degrade();
            LOG.debug("cluster store call failed, deciding locally: {}", failure.toString());
            introduceAlone(a.initiator.peerId(), a.initiator.handle(), a.from, a.target, a.tag)
                    .thenAccept(a.outcome::complete);
        } else if (pairing instanceof ClusterStore.Refused refused) {
            asking.remove(id);
            unreserve(a);
            a.outcome.complete(introducer.refuse(refused.reason(), a.initiator.peerId(), a.from, a.target));
        } else {
            a.routed = ((ClusterStore.Routed) pairing).target();
            finish(id, a);
        }
    }

    /** The target's node answered an ask of this node. */
    private void answered(Delivery.Answer answer) {
        Asking a = asking.get(answer.ask());
        if (a == null || !a.target.equals(answer.target())) {
            if (answer.verdict() == Delivery.Verdict.NEW_PAIR) {
                // too late (the ask had failed): the target's node releases the slot it took
                courier.send(answer.targetNode(), new Delivery.Pair(answer.target(), answer.peer(), node(), false));
            }
            return;
        }
        a.verdict = answer.verdict();
        finish(answer.ask(), a);
    }

    /** With both the route and the answer: the outcome. */
    private void finish(long id, Asking a) {
        if (a.routed == null || a.verdict == null) {
            return;
        }
        asking.remove(id);
        unreserve(a);
        PeerId initiator = a.initiator.peerId();
        boolean allowed = a.verdict == Delivery.Verdict.NEW_PAIR || a.verdict == Delivery.Verdict.REPEAT;
        boolean still = local.local(initiator).filter(e -> e.handle() == a.initiator.handle()).isPresent();
        if (allowed && !still) {
            // the initiator left meanwhile: the target's node releases the pair
            courier.send(a.routed.node(), new Delivery.Pair(a.target, initiator, node(), false));
            a.outcome.complete(introducer.refuse(Introducer.Reason.INITIATOR_NOT_REGISTERED, initiator, a.from,
                    a.target));
            return;
        }
        switch (a.verdict) {
            case NEW_PAIR, REPEAT -> {
                remote.add(initiator, a.target, a.routed.node());
                if (a.forwardedThere) {
                    forwardedThere.add(a.routed);
                }
                a.outcome.complete(introducer.introduce(a.initiator, a.from, a.routed, a.tag,
                        a.reserved || a.verdict == Delivery.Verdict.NEW_PAIR));
            }
            case TARGET_CAP -> a.outcome.complete(introducer.refuse(Introducer.Reason.TARGET_CAP, initiator, a.from,
                    a.target));
            case UNKNOWN_TARGET -> a.outcome.complete(introducer.refuse(Introducer.Reason.UNKNOWN_TARGET, initiator,
                    a.from, a.target));
        }
    }

    private void unreserve(Asking a) {
        if (a.reserved) {
            remote.unreserve(a.initiator.peerId());
        }
    }

    /** Slots {@code peer} of this node holds: pairs here, pairs with other nodes' clients, reservations. */
    private int slotsInUse(PeerId peer) {
        return local.ledger().slotsInUse(peer) + remote.held(peer);
    }

    /**
     * Another node asks to introduce its client to this node's {@code ask.peer()}: this node decides its
     * peer's side of the ledger, sends the Forwarded IHello if allowed, and answers.
     */
    private void asked(Delivery.Ask ask) {
        PeerRegistry.Entry<H> t = local.local(ask.peer()).orElse(null);
        Delivery.Verdict verdict;
        if (t == null) {
            verdict = Delivery.Verdict.UNKNOWN_TARGET;
        } else if (remote.has(ask.peer(), ask.initiator())) {
            verdict = Delivery.Verdict.REPEAT;
        } else if (slotsInUse(ask.peer()) >= peerCapOf(t.developerKey())) {
            verdict = Delivery.Verdict.TARGET_CAP;
        } else {
            remote.add(ask.peer(), ask.initiator(), ask.initiatorNode());
            verdict = Delivery.Verdict.NEW_PAIR;
        }
        if (t != null && verdict != Delivery.Verdict.TARGET_CAP && ask.epd().length > 0) {
            PeerAddress at = introducer.forwardAddress(ask.reported(), ask.from(), Peer.of(t, node()), ask.tag());
            outbox.forward(t.handle(), new ForwardedIHello(ask.epd(), at, ask.tag()));
        }
        courier.send(ask.initiatorNode(), new Delivery.Answer(ask.initiator(), ask.peer(), node(), ask.ask(), verdict));
    }

    /** An introduction decided by this node alone (two of its peers, or the store unreachable). */
    private CompletionStage<Introducer.Outcome<H>> introduceAlone(PeerId initiator, H handle, InetSocketAddress from,
            PeerId target, byte[] tag) {
        return done(local.introduce(initiator, handle, from, target, tag, remote::held));
    }

    @Override
    public void forward(Peer target, ForwardedIHello forward) {
        if (target.node().equals(node())) {
            local.forward(target, forward);
        } else if (!forwardedThere.remove(target)) {
            courier.send(target.node(),
                    new Delivery.Forward(target.peerId(), forward.epd(), forward.replyAddress(), forward.tag()));
        }
    }

    @Override
    public CompletionStage<Optional<Peer>> openIntroduction(PeerId target) {
        Optional<PeerRegistry.Entry<H>> here = local.local(target);
        if (!shared || here.isPresent()) {
            return done(here.filter(e -> slotsInUse(target) < peerCapOf(e.developerKey())).map(e -> Peer.of(e, node())));
        }
        // a client of another node: its free slots are its node's to know, and are not checked here
        return onLoop(store.find(target), found -> found, () -> done(Optional.empty()));
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
        return store.find(peer)
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
            releaseRemote(peer);
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

    /** {@code peer} of this node left: its pairs with other nodes' clients are released there too. */
    private void releaseRemote(PeerId peer) {
        remote.release(peer).forEach((partner, at) -> courier.send(at, new Delivery.Pair(partner, peer, node(), false)));
    }

    // ---- deliveries ----------------------------------------------------------------------------

    /** A delivery from another node, on the protocol thread. */
    void deliver(Delivery d) {
        if (d instanceof Delivery.Ask ask) {
            asked(ask);
            return;
        }
        if (d instanceof Delivery.Answer answer) {
            answered(answer);
            return;
        }
        if (d instanceof Delivery.Pair pair) {
            if (!pair.paired()) {
                remote.drop(pair.peer(), pair.partner());
            } else if (local.local(pair.peer()).isPresent()) {
                remote.add(pair.peer(), pair.partner(), pair.partnerNode());
            }
            return;
        }
        Optional<H> to = local.local(d.peer()).map(PeerRegistry.Entry::handle);
        if (to.isEmpty()) {
            return; // gone meanwhile: as a lost datagram, the client's retransmission asks again
        }
        if (d instanceof Delivery.Forward f) {
            // an open introduction (the initiator holds no session), or an ask that carried no EPD
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
