package org.rtmfpd.handshake;

import org.rtmfpd.session.SessionListener;

/** What the dispatcher hands upward: session events (the Flash layer) and introduction requests. */
public interface ServerApplication extends SessionListener {
    void onIntroductionRequest(IntroductionRequest request);

    /** A handshake completed: {@code session} is open, and its RIKeying is about to be sent. */
    default void onSessionOpened(org.rtmfpd.session.Session session) {
    }
}
