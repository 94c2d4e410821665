package org.rtmfpd.rendezvous;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.rtmfpd.wire.ForwardedIHello;

/**
 * The rendezvous as the session and Flash layers see it: who is connected, the peer-cap ledger, the
 * NetGroups, and the introductions they allow, kept consistent through each session's life. The layers
 * call it at each step (a successful {@code connect}, {@code setPeerInfo}, a verified address change, a
 * peer-ID IHello, a NetGroup join or leave, the close of a session), always on the server's protocol
 * thread, and never learn where the state lives.
 *
 * <p>Two implementations: {@link LocalRendezvous}, one process, whose stages are complete when returned
 * (the default); and the cluster's, where state that other nodes must see lives in Redis, whose stages
 * complete later, back on the protocol thread. Whatever must reach one of this node's sessions because
 * of a decision taken here or on another node (a Forwarded IHello, a NetGroup referral, the close of a
 * replaced session) goes through the {@link Outbox}. See docs/rendezvous.md and docs/cluster.md.
 *
 * @param <H> the server's session handle, compared by identity
 */
public interface Rendezvous<H> {
    /** What {@link #connected} decided. */
    enum Admission {
        /** Registered; the peer can introduce and be introduced, and join groups. */
        ADMITTED,
        /** Registered in place of an older session with the same peer ID, which is being closed. */
        REPLACED,
        /** The developer key is not in the keys file (or was revoked): reject the connect. */
        UNKNOWN_KEY,
        /** The developer key already has its max-sessions clients: reject the connect. */
        MAX_SESSIONS;

        public boolean admitted() {
            return this == ADMITTED || this == REPLACED;
        }
    }

    /** This node's name among the nodes of the rendezvous ({@code node-id}). */
    String node();

    /** Set once, before the first call: where this node's deliveries go. */
    void outbox(Outbox<H> outbox);

    /** The peer cap for clients of {@code developerKey}: the key's own, or the server's. */
    int peerCapOf(String developerKey);

    /**
     * A session completed {@code connect} with {@code developerKey}: admit it, or say why not. An older
     * session with the same peer ID, here or on another node, is evicted through its node's outbox, and
     * its groups repaired.
     */
    CompletionStage<Admission> connected(String developerKey, PeerId peer, InetSocketAddress observed, H handle);

    /** setPeerInfo: the addresses the client reported. Ignored if the session is not registered. */
    void peerInfo(PeerId peer, H handle, List<InetSocketAddress> reported);

    /** The session's address changed (after the RFC's probe). Ignored if the session is not registered. */
    void addressChanged(PeerId peer, H handle, InetSocketAddress observed);

    /**
     * A peer-ID IHello for {@code target}, received from {@code from} by the session {@code handle} of peer
     * {@code initiator}: introduce (the caller sends the Redirect, then {@link #forward}) or refuse; see
     * {@link Introducer}.
     */
    CompletionStage<Introducer.Outcome<H>> introduce(PeerId initiator, H handle, InetSocketAddress from, PeerId target,
            byte[] tag);

    /**
     * As {@link #introduce(PeerId, Object, InetSocketAddress, PeerId, byte[])}, with the IHello's endpoint
     * discriminator: a rendezvous whose target is held by another node may have that node send the
     * Forwarded IHello as it decides its side (a cluster); {@link #forward} then sends nothing more.
     */
    default CompletionStage<Introducer.Outcome<H>> introduce(PeerId initiator, H handle, InetSocketAddress from,
            PeerId target, byte[] tag, byte[] epd) {
        return introduce(initiator, handle, from, target, tag);
    }

    /** Delivers the Forwarded IHello of an allowed introduction to {@code target}, on whichever node holds it. */
    void forward(Peer target, ForwardedIHello forward);

    /**
     * An IHello for {@code target} from an address that holds no session (open introductions): the
     * target, if it is registered and has a free peer-cap slot (the slot is not taken).
     */
    CompletionStage<Optional<Peer>> openIntroduction(PeerId target);

    /**
     * A NetGroup join from the session {@code handle}: the member IDs to send, {@code 0b <id>} each, at
     * most the key's peer cap, never the joiner. Empty when the session is not registered.
     */
    CompletionStage<List<PeerId>> join(PeerId peer, H handle, GroupId group);

    /** The session's GC flow for {@code group} closed: the group is repaired through the outbox. */
    void leave(PeerId peer, H handle, GroupId group);

    /**
     * The session closed or timed out: from now on the peer is neither introduced nor handed out, its
     * peer-cap slots are free, and its groups are repaired through the outbox. Does nothing if the peer
     * ID now belongs to another session.
     */
    void closed(PeerId peer, H handle);

    /** This node's registered session for {@code peer}, if it holds one. */
    Optional<PeerRegistry.Entry<H>> local(PeerId peer);

    /** Peers registered on this node, all keys (a gauge). */
    int localPeers();

    /** Peers registered on this node with {@code developerKey} (a gauge). */
    int localPeers(String developerKey);

    /** NetGroups with at least one member, as this node knows them (a gauge). */
    int groupCount();

    /** Peers in at least one NetGroup, as this node knows them (a gauge). */
    int groupMemberCount();
}
