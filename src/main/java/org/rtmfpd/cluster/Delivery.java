package org.rtmfpd.cluster;

import org.rtmfpd.rendezvous.GroupId;
import org.rtmfpd.rendezvous.PeerId;
import org.rtmfpd.wire.PeerAddress;

/** One message from one node to another: something to send to one of the receiving node's sessions. */
public sealed interface Delivery {
    /** The peer the delivery is for, held by the receiving node. */
    PeerId peer();

    /**
     * Send a Forwarded IHello to {@code peer} (RFC 7016 §3.5.1.5): the initiator's endpoint discriminator
     * and tag, and the address it is to be reached at.
     */
    record Forward(PeerId peer, byte[] epd, PeerAddress initiator, byte[] tag) implements Delivery {
    }

    /** Send {@code 0b <member>} to {@code peer} on its GC flow for {@code group}. */
    record Refer(PeerId peer, GroupId group, PeerId member) implements Delivery {
    }

    /** A newer session of {@code peer} connected on another node: close this node's one. */
    record Evict(PeerId peer) implements Delivery {
    }
}
