package org.rtmfpd.cluster;

import java.net.InetSocketAddress;
import java.util.List;
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

    /**
     * Introduce {@code initiator}, a client of {@code initiatorNode}, to this node's {@code peer}: the
     * receiving node owns its peer's side of the peer-cap ledger and decides it; if allowed, it sends
     * {@code peer} the Forwarded IHello ({@code epd}, {@code tag}, the initiator's address chosen from
     * {@code from} and {@code reported}), then answers with an {@link Answer} of the same {@code ask}.
     */
    record Ask(PeerId peer, PeerId initiator, String initiatorNode, long ask, byte[] epd, InetSocketAddress from,
            List<InetSocketAddress> reported, byte[] tag) implements Delivery {
        public Ask {
            reported = List.copyOf(reported);
        }
    }

    /**
     * What {@code targetNode} decided for {@link Ask} {@code ask} of this node's {@code peer} (the
     * initiator) to its {@code target}.
     */
    record Answer(PeerId peer, PeerId target, String targetNode, long ask, Verdict verdict) implements Delivery {
    }

    /** A target node's decision on its side of a pair. */
    enum Verdict {
        /** A new pair: the target took a slot, and has its Forwarded IHello. */
        NEW_PAIR,
        /** The pair was made before: no slot taken; the target has its Forwarded IHello. */
        REPEAT,
        /** The target holds as many peers as its cap allows: nothing sent. */
        TARGET_CAP,
        /** The target is not this node's client (it left, or moved): nothing sent. */
        UNKNOWN_TARGET
    }

    /**
     * This node's {@code peer} and {@code partner}, a client of {@code partnerNode}, were introduced: with
     * {@code paired} false the partner left, and the pair no longer holds a slot of {@code peer}; with
     * {@code paired} true the pair is recorded again (the partner's node published its state again after
     * the others had taken it for dead).
     */
    record Pair(PeerId peer, PeerId partner, String partnerNode, boolean paired) implements Delivery {
    }
}
