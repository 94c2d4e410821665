package org.rtmfpd.server;

import org.rtmfpd.session.Session;

/**
 * The open sessions by near session ID, the sessions themselves filed under their IDs (see
 * {@link SessionSlots}). A {@code HashMap<Integer, Session>} spent a node and a boxed key on each, 48
 * bytes; this spends two or four array slots, 8 to 16. Protocol thread only.
 */
final class SessionTable extends SessionSlots {

    @Override
    int hashOf(Session held) {
        return held.nearId();
    }

    /** The session whose near ID is {@code id}, or null. */
    Session get(int id) {
        Session[] t = slots;
        int mask = t.length - 1;
        for (int i = index(id, mask); ; i = (i + 1) & mask) {
            Session s = t[i];
            if (s == null || s.nearId() == id) {
                return s;
            }
        }
    }

    boolean containsKey(int id) {
        return get(id) != null;
    }

    /** Adds {@code session}, whose near ID no session here may have. */
    void add(Session session) {
        addUnder(session.nearId(), session);
    }

    /** Removes {@code session} if it is here; returns whether it was. */
    boolean remove(Session session) {
        return removeUnder(session.nearId(), session);
    }
}
