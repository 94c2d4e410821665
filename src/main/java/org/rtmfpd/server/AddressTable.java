package org.rtmfpd.server;

import java.net.InetSocketAddress;
import org.rtmfpd.session.Session;

/**
 * The open sessions by the far address each is filed under (its far address when filed): at most one
 * session per address (see {@link SessionSlots}), where a {@code HashMap<InetSocketAddress, Session>}
 * spent a 32-byte node on each. A session whose far address changes must be taken out under its
 * previous address before any other change to the table, and filed again under the new one.
 * Protocol thread only.
 */
final class AddressTable extends SessionSlots {

    @Override
    int hashOf(Session held) {
        return held.farAddress().hashCode();
    }

    /** The session filed under {@code address}, or null. */
    Session get(InetSocketAddress address) {
        Session[] t = slots;
        int mask = t.length - 1;
        for (int i = index(address.hashCode(), mask); ; i = (i + 1) & mask) {
            Session s = t[i];
            if (s == null || s.farAddress().equals(address)) {
                return s;
            }
        }
    }

    boolean containsKey(InetSocketAddress address) {
        return get(address) != null;
    }

    /** Files {@code session} under its far address; returns the session it displaced there, or null. */
    Session put(Session session) {
        InetSocketAddress address = session.farAddress();
        Session holder = get(address);
        if (holder == session) {
            return null;
        }
        if (holder != null) {
            removeUnder(address.hashCode(), holder);
        }
        addUnder(address.hashCode(), session);
        return holder;
    }

    /**
     * Takes {@code session} out if it is filed under {@code address}; returns whether it was. Found by
     * identity, so that a session whose far address has just changed is found under its previous one.
     */
    boolean remove(InetSocketAddress address, Session session) {
        return removeUnder(address.hashCode(), session);
    }
}
