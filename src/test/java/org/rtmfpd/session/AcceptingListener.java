package org.rtmfpd.session;

/** A session listener for tests that only need sessions to exist: it accepts every flow and ignores the rest. */
public final class AcceptingListener implements SessionListener {
    public static final AcceptingListener INSTANCE = new AcceptingListener();

    private AcceptingListener() {
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
