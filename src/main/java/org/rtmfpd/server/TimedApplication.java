package org.rtmfpd.server;

import java.net.InetSocketAddress;
import org.rtmfpd.flash.NetConnectionService;
import org.rtmfpd.handshake.IntroductionRequest;
import org.rtmfpd.handshake.ServerApplication;
import org.rtmfpd.session.RecvFlow;
import org.rtmfpd.session.Session;
import org.rtmfpd.wire.ForwardedIHello;

/**
 * Times what the Flash layer does, from outside it: wraps the application the dispatcher calls, and is
 * the counter that application reports to. An event counted while a message is handled is timed from
 * that message's arrival ({@code group_join}) or linked to the session's first IHello ({@code connect}).
 * Every call runs on the protocol thread, so the message being handled is a plain field.
 */
final class TimedApplication implements ServerApplication, NetConnectionService.Counter {
    private final ServerMetrics metrics;
    private ServerApplication next;
    private IntroductionSink introductions;
    /** The session whose message is being handled, and when its handling started; null between messages. */
    private Session current;
    private long messageStart;

    TimedApplication(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    /** The application to time; set once, before the first datagram. */
    TimedApplication wrap(ServerApplication application) {
        this.next = application;
        return this;
    }

    @Override
    public void count(String event) {
        metrics.count(event);
        Session session = current;
        if (session == null) {
            return;
        }
        switch (event) {
            case "connect" -> metrics.connected(session.farAddress());
            case "group_join" -> metrics.observe(ServerMetrics.Timing.GROUP_JOIN, messageStart);
            default -> {
            }
        }
    }

    @Override
    public void refuse(String reason) {
        metrics.refuse(reason);
    }

    @Override
    public void introduced(InetSocketAddress from, byte[] targetPeerId, String developerKey) {
        if (introductions != null) {
            introductions.introduced(from, java.util.HexFormat.of().formatHex(targetPeerId), developerKey);
        }
    }

    /** Where introductions go for their P2P outcome; set once, before the first datagram. */
    TimedApplication introductions(IntroductionSink sink) {
        this.introductions = sink;
        return this;
    }

    /** Takes each introduction: initiator address, target peer ID in hex, developer key (null if none). */
    @FunctionalInterface
    interface IntroductionSink {
        void introduced(InetSocketAddress from, String targetHex, String developerKey);
    }

    @Override
    public void onIntroductionRequest(IntroductionRequest request) {
        long start = metrics.now();
        try {
            next.onIntroductionRequest(request);
        } finally {
            metrics.observe(ServerMetrics.Timing.INTRODUCTION, start);
        }
    }

    @Override
    public void onMessage(Session session, RecvFlow flow, byte[] message) {
        current = session;
        messageStart = metrics.now();
        try {
            next.onMessage(session, flow, message);
        } finally {
            current = null;
        }
    }

    @Override
    public boolean onFlowOpened(Session session, RecvFlow flow) {
        return next.onFlowOpened(session, flow);
    }

    @Override
    public void onFlowFinished(Session session, RecvFlow flow) {
        next.onFlowFinished(session, flow);
    }

    @Override
    public void onForwardedIHello(Session session, ForwardedIHello hello) {
        next.onForwardedIHello(session, hello);
    }

    @Override
    public void onPingReply(Session session, byte[] body) {
        next.onPingReply(session, body);
    }

    @Override
    public void onAddressChanged(Session session) {
        next.onAddressChanged(session);
    }

    @Override
    public void onAddressChanged(Session session, InetSocketAddress previous) {
        next.onAddressChanged(session, previous);
    }

    @Override
    public void onSessionOpened(Session session) {
        next.onSessionOpened(session);
    }

    @Override
    public void onRetransmissionTimerStarted(Session session) {
        next.onRetransmissionTimerStarted(session);
    }

    @Override
    public void onListenerFailed(Session session, RuntimeException failure) {
        next.onListenerFailed(session, failure);
    }

    @Override
    public void onClosed(Session session) {
        next.onClosed(session);
    }
}
