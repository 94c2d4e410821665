package org.rtmfpd.rendezvous;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A connected client as every node of the rendezvous sees it: what a Redirect needs to introduce it,
 * whichever node holds its session.
 *
 * @param developerKey the key it connected with
 * @param peerId       its peer ID
 * @param observed     the public address its session packets come from (origin OBSERVED)
 * @param reported     the addresses it reported with setPeerInfo (origin REPORTED)
 * @param node         the node that holds its session ({@link Rendezvous#node()} of that node)
 */
public record Peer(String developerKey, PeerId peerId, InetSocketAddress observed, List<InetSocketAddress> reported,
        String node) {
    public Peer {
        Objects.requireNonNull(developerKey, "developerKey");
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(observed, "observed");
        reported = List.copyOf(reported);
        Objects.requireNonNull(node, "node");
    }

    /** The node-independent part of a local registry entry. */
    public static Peer of(PeerRegistry.Entry<?> entry, String node) {
        return new Peer(entry.developerKey(), entry.peerId(), entry.observed(), entry.reported(), node);
    }

    @Override
    public String toString() {
        return "Peer[" + peerId + " at " + observed + " on " + node + ", " + reported.size() + " reported]";
    }
}
