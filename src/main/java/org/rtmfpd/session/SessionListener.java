package org.rtmfpd.session;

import org.rtmfpd.wire.ForwardedIHello;
import org.slf4j.LoggerFactory;

/** What a {@link Session} tells the layer above it (the Flash layer, or a client application). */
public interface SessionListener {
    /** A new flow with its metadata arrived; return false to reject it with a Flow Exception. */
    boolean onFlowOpened(Session session, RecvFlow flow);

    /** A whole message arrived, in order, on {@code flow}. */
    void onMessage(Session session, RecvFlow flow, byte[] message);

    /** The far end finished {@code flow} and everything on it was delivered. */
    default void onFlowFinished(Session session, RecvFlow flow) {
    }

    /** A Forwarded IHello arrived (RFC 7016 §3.5.1.5): a peer wants to meet this end. */
    default void onForwardedIHello(Session session, ForwardedIHello hello) {
    }

    /** A Ping Reply arrived that answers a Ping sent with {@link Session#ping}; {@code body} is the echo. */
    default void onPingReply(Session session, byte[] body) {
    }

    /** The far end's address changed after the probe of RFC 7016 §3.5.4.2 succeeded. */
    default void onAddressChanged(Session session) {
    }

    /**
     * As {@link #onAddressChanged(Session)}, with the address the session had before; the session calls
     * this one, which by default calls the other.
     */
    default void onAddressChanged(Session session, java.net.InetSocketAddress previous) {
        onAddressChanged(session);
    }

    /**
     * The retransmission timer started: data is in flight, and {@link Session#tick} should run often (every
     * 100 ms or so) until {@link Session#hasRetransmissionTimer} is false again. The session's other timers
     * (keepalive, idle timeout, close) are coarse: a tick a second is enough for them. A session made with
     * a {@link TimerWheel} schedules its own ticks and needs nothing from this call.
     */
    default void onRetransmissionTimerStarted(Session session) {
    }

    /**
     * One of this listener's own calls threw {@code failure}. The session contained it and carries on: a
     * flow whose {@link #onFlowOpened} threw is rejected, a message whose {@link #onMessage} threw is lost.
     * By default the failure is logged as a warning.
     */
    default void onListenerFailed(Session session, RuntimeException failure) {
        LoggerFactory.getLogger(SessionListener.class).warn("session {}: listener failed",
                Integer.toHexString(session.nearId()), failure);
    }

    /** The session left the open state (closed by either end, or timed out). Called once. */
    void onClosed(Session session);
}
