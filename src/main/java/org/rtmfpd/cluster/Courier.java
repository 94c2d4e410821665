package org.rtmfpd.cluster;

import java.util.function.Consumer;

/**
 * Messages between the nodes of a cluster (Redis pub/sub, one channel per node): what one node decided
 * and another must send to one of its sessions. Fire and forget: a message to a node that is down is
 * lost, as a datagram would be, and the client's retransmission asks again.
 */
public interface Courier extends AutoCloseable {
    /** Sends {@code delivery} to {@code node}; never blocks. */
    void send(String node, Delivery delivery);

    /** Starts receiving this node's messages; {@code receiver} runs on the courier's thread. */
    void receive(String node, Consumer<Delivery> receiver);

    @Override
    void close();
}
