package org.rtmfpd.flash;

import org.rtmfpd.session.RecvFlow;
import org.rtmfpd.session.Session;

/** NetGroup bootstrap on GC flows (brief §4.6): join messages in, member peer IDs out. */
public final class NetGroupService {

    boolean onFlowOpened(Session session, NetConnectionService.Client client, RecvFlow flow) {
        return false;
    }

    void onMessage(Session session, NetConnectionService.Client client, RecvFlow flow, byte[] message) {
    }

    void onClosed(NetConnectionService.Client client) {
    }
}
