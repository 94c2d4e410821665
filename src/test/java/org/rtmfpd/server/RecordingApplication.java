package org.rtmfpd.server;

import java.util.ArrayList;
import java.util.List;
import org.rtmfpd.handshake.IntroductionRequest;
import org.rtmfpd.handshake.ServerApplication;
import org.rtmfpd.session.RecvFlow;
import org.rtmfpd.session.Session;

/** A server application for dispatcher tests: takes every flow, ignores messages, records introductions. */
class RecordingApplication implements ServerApplication {
    final List<IntroductionRequest> introductions = new ArrayList<>();

    @Override
    public void onIntroductionRequest(IntroductionRequest request) {
        introductions.add(request);
    }

    @Override
    public boolean onFlowOpened(Session session, RecvFlow flow) {
        return true;
    }

    @Override
    public void onMessage(Session session, RecvFlow flow, byte[] message) {
    }

    @Override
    public void onClosed(Session session) {
    }
}
