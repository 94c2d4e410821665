package org.rtmfpd.registry;

import java.util.concurrent.CompletionStage;
import org.rtmfpd.rendezvous.PeerId;

/**
 * Whether a peer is connected to rtmfpd with a developer key: the name registry's read-only view of
 * the rendezvous. The server answers it from this node's sessions and, in cluster mode, from the
 * cluster's peer store (hence the stage; it completes at once for a peer connected here). Safe from any
 * thread.
 */
@FunctionalInterface
public interface ConnectedPeers {
    CompletionStage<Boolean> isConnected(String developerKey, PeerId peer);
}
