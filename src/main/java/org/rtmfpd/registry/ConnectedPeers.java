package org.rtmfpd.registry;

import org.rtmfpd.rendezvous.PeerId;

/**
 * Whether a peer is connected to rtmfpd with a developer key: the name registry's read-only view of
 * the rendezvous registry. The server answers it from {@code PeerRegistry.find}; in cluster mode, from
 * the cluster's peer store. Safe from any thread.
 */
@FunctionalInterface
public interface ConnectedPeers {
    boolean isConnected(String developerKey, PeerId peer);
}
