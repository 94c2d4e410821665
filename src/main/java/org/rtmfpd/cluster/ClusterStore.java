package org.rtmfpd.cluster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.rtmfpd.rendezvous.GroupId;
import org.rtmfpd.rendezvous.Introducer;
import org.rtmfpd.rendezvous.Peer;
import org.rtmfpd.rendezvous.PeerId;

/**
 * The rendezvous state that every node of a cluster must see, kept in Redis: which node holds each
 * connected peer (and its addresses), the per-key session counts, the NetGroups, and which nodes are
 * alive. (The peer-cap ledger is not here: each node owns its own peers' part.) Every call answers with
 * a {@link CompletionStage} and never blocks; a
 * failed or timed-out call completes it exceptionally (the caller then decides locally).
 *
 * <p>Each call that reads and then writes is atomic in the store (one Lua script): two nodes racing
 * for one peer ID, one cap slot, or one group position cannot both win. Peers are named by peer ID;
 * a call made for a session names the node that holds it, and acts only if that node still holds the
 * peer (a replaced session's late close never removes its successor).
 *
 * <p>Liveness: a peer whose node has not sent a {@link #heartbeat} for longer than the store's node
 * lifetime is as good as gone: it is never returned, introduced, or handed out in a group, and
 * {@link #sweep} removes it (and its group places) for good.
 */
public interface ClusterStore extends AutoCloseable {
    /** What {@link #admit} did. */
    enum Admitted {
        /** The peer ID was free (or its holder's node is dead); it now names this record. */
        REGISTERED,
        /** The peer ID was held by another session ({@link Admit#replaced()}); this record replaces it. */
        REPLACED,
        /** The developer key holds its max-sessions peers in the cluster; nothing changed. */
        MAX_SESSIONS
    }

    /**
     * The outcome of {@link #admit}.
     *
     * @param status    what was done
     * @param replaced  for {@link Admitted#REPLACED}, the older record (its node closes that session)
     * @param referrals the group repairs that the older session's departure calls for
     */
    record Admit(Admitted status, Optional<Peer> replaced, List<Referral> referrals) {
        public Admit {
            referrals = List.copyOf(referrals);
        }
    }

    /**
     * Tell {@code recipient}, held by {@code recipientNode}, about {@code member} of {@code group}
     * ({@code 0b <member>} on its GC flow for that group).
     */
    record Referral(String developerKey, GroupId group, PeerId recipient, String recipientNode, PeerId member) {
    }

    /** The answer of {@link #route}: the target, whose node has been asked, or why not. */
    sealed interface Pairing permits Routed, Refused {
    }

    /** The target is live on another node, which has been sent the ask; its record is {@code target}. */
    record Routed(Peer target) implements Pairing {
    }

    /** Refused, for {@code reason}; nothing sent. */
    record Refused(Introducer.Reason reason) implements Pairing {
    }

    /**
     * Registers {@code peer} (on {@code peer.node()}) unless its developer key already holds
     * {@code maxSessions} live peers in the cluster. A live record for the same peer ID, on any node, is
     * replaced: it leaves its groups, as at its close. Counts only live
     * peers.
     */
    CompletionStage<Admit> admit(Peer peer, int maxSessions);

    /** Replaces the addresses of {@code peer}, if {@code peer.node()} still holds it. */
    CompletionStage<Void> update(Peer peer);

    /**
     * {@code peer} closed on {@code node}: unregisters it, removes it from its
     * groups, and answers the referrals that repair them. Nothing if {@code node} no longer holds it.
     */
    CompletionStage<List<Referral>> remove(PeerId peer, String node);

    /**
     * The first step of an introduction of a client of {@code node} (with {@code developerKey}) to
     * {@code target}, a client of another node: the target must be live, with the same developer key, on
     * a live node other than {@code node}. If so, {@code ask} (a {@link DeliveryCodec} message) is
     * published to the target node's inbox in the same call, and the target's record answered; that node
     * decides its peer's side of the peer-cap ledger. Otherwise the refusal, and nothing published.
     */
    CompletionStage<Pairing> route(String developerKey, PeerId target, String node, byte[] ask);

    /** The live record of {@code peer}, if it is connected to a live node. */
    CompletionStage<Optional<Peer>> find(PeerId peer);

    /**
     * {@code peer} (held by {@code node}, with {@code developerKey}) joins {@code group}: answers the
     * members to hand it, as {@code NetGroups.join} (newest {@code max(1, cap - 1)} first, then one at
     * random among the older, never itself, live ones only), and records it as the newest member (a
     * member joining again keeps its place). Empty and nothing recorded if the peer is not registered on
     * {@code node} or already in {@code maxGroupsPerPeer} other groups.
     */
    CompletionStage<List<PeerId>> join(String developerKey, GroupId group, PeerId peer, String node, int cap,
            int maxGroupsPerPeer);

    /** {@code peer} left {@code group}: the referral that repairs it, as {@code NetGroups.leave}. */
    CompletionStage<Optional<Referral>> leave(String developerKey, GroupId group, PeerId peer, String node);

    /**
     * A node's load as its heartbeat publishes it (RFC 7016 §3.5.1.7, load balancing).
     *
     * @param node        the node
     * @param advertise   the addresses its clients reach it at ({@code HOST:PORT})
     * @param sessions    its sessions now
     * @param maxSessions the most it holds
     * @param draining    whether it is draining (it takes no new client)
     */
    record NodeLoad(String node, List<String> advertise, int sessions, int maxSessions, boolean draining) {
        public NodeLoad {
            advertise = List.copyOf(advertise);
        }

        /** Sessions per session it can hold; a draining node counts as full. */
        public double load() {
            return draining ? 1.0 : (double) sessions / Math.max(1, maxSessions);
        }

        /** Whether it takes no new client: draining, or holding max-sessions sessions. */
        public boolean full() {
            return draining || sessions >= maxSessions;
        }
    }

    /**
     * The answer of {@link #heartbeat}.
     *
     * @param live  the live nodes (this one too) with their load
     * @param lapsed the node was dead until this heartbeat (silent for a lifetime, or unknown): the other
     *               nodes may have swept its peers, so it must publish them all again
     */
    record Beat(List<NodeLoad> live, boolean lapsed) {
        public Beat {
            live = List.copyOf(live);
        }
    }

    /** {@code load.node()} is alive, with this load; keeps its peers live for another lifetime. */
    CompletionStage<Beat> heartbeat(NodeLoad load);

    /** {@code node} is alive, reachable at {@code advertise}, with no load to say. */
    default CompletionStage<Beat> heartbeat(String node, List<String> advertise) {
        return heartbeat(new NodeLoad(node, advertise, 0, Integer.MAX_VALUE, false));
    }

    /**
     * Removes the peers and group places of every node whose heartbeat is older than the node
     * lifetime, and answers the referrals that repair the groups they left.
     */
    CompletionStage<List<Referral>> sweep();

    /** {@code node} is stopping: removes its peers at once, with the referrals that repair their groups. */
    CompletionStage<List<Referral>> leaveCluster(String node);

    @Override
    void close();
}
