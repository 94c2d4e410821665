package org.rtmfpd.client;

import java.net.InetSocketAddress;
import java.util.List;
import org.rtmfpd.crypto.Certificate;

/**
 * What a client reports as it works, for progress output and for applications. Every method has an empty
 * default. Calls come from the client's protocol thread, so they must return quickly and must not block
 * on the client's own futures.
 */
public interface ClientListener {
    /** An IHello went out: to the server for {@code connect}, to the server or a peer for {@code connectToPeer}. */
    default void onHelloSent(Initiator handshake, InetSocketAddress to, int attempt) {
    }

    /** An acceptable RHello arrived; the certificate's fingerprint is the responder's. */
    default void onResponderHello(Initiator handshake, InetSocketAddress from, Certificate certificate) {
    }

    /** A Redirect listed where to look next. */
    default void onRedirect(Initiator handshake, InetSocketAddress from, List<InetSocketAddress> addresses) {
    }

    /** A handshake this client started completed keying. */
    default void onHandshakeOpened(Initiator handshake, Initiator.Opened opened) {
    }

    /** The server forwarded another peer's IHello to this client (RFC 7016 §3.5.1.5); it answers with an RHello. */
    default void onIntroduction(InetSocketAddress initiator) {
    }

    /** A direct session with a peer opened, either way. */
    default void onPeerSession(PeerSession peer) {
    }

    /** A message arrived on a flow a peer opened to this client. */
    default void onPeerMessage(PeerSession peer, byte[] flowMetadata, byte[] message) {
    }

    /** The server called a command that answers none of this client's (onStatus, for example). */
    default void onCommand(String name, List<Object> arguments) {
    }

    /** The server named a member of a group this client joined. */
    default void onGroupMember(GroupMembership group, byte[] peerId) {
    }

    /** The session with the server closed (either end, or a timeout). */
    default void onServerClosed() {
    }
}
