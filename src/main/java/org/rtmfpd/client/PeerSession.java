package org.rtmfpd.client;

import java.net.InetSocketAddress;
import java.util.HexFormat;

/**
 * A direct session with another peer, as it stood when it opened: whose it is, where it is, and which end
 * started it.
 *
 * @param peerId the far end's peer ID (SHA-256 of its certificate)
 * @param address the far end's address
 * @param initiatedHere true when this client asked for the peer, false when the peer came to this client
 * @param nearId this end's session ID
 * @param farId the far end's session ID
 */
public record PeerSession(byte[] peerId, InetSocketAddress address, boolean initiatedHere, int nearId, int farId) {
    public PeerSession {
        peerId = peerId.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    public String peerIdHex() {
        return HexFormat.of().formatHex(peerId);
    }

    @Override
    public String toString() {
        return "PeerSession[" + peerIdHex() + " at " + address + (initiatedHere ? ", initiated here" : ", came to us") + "]";
    }
}
