package org.rtmfpd.server;

import java.util.ArrayList;
import java.util.List;
import org.rtmfpd.session.Session;

/**
 * The open sessions by near session ID: an open-addressing table (linear probing, at most half full) of
 * the sessions themselves, whose IDs are their keys. A {@code HashMap<Integer, Session>} spent a node and
 * a boxed key on each, 48 bytes; this spends two or four array slots, 8 to 16. Protocol thread only.
 */
final class SessionTable {
    private static final int FIRST_CAPACITY = 16;

    private Session[] slots = new Session[FIRST_CAPACITY];
    private int size;

    int size() {
        return size;
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
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        insert(slots, session);
        size++;
    }

    /** Removes {@code session} if it is here; returns whether it was. */
    boolean remove(Session session) {
        Session[] t = slots;
        int mask = t.length - 1;
        int i = index(session.nearId(), mask);
        while (t[i] != session) {
            if (t[i] == null) {
                return false;
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: move up the sessions of the run after the hole that may fill it.
        int hole = i;
        for (int j = (hole + 1) & mask; t[j] != null; j = (j + 1) & mask) {
            int home = index(t[j].nearId(), mask);
            // t[j] may move to the hole if its home is not cyclically within (hole, j].
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                t[hole] = t[j];
                hole = j;
            }
        }
        t[hole] = null;
        size--;
        return true;
    }

    /** A copy of the sessions, in no particular order. */
    List<Session> snapshot() {
        List<Session> out = new ArrayList<>(size);
        for (Session s : slots) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private void grow() {
        Session[] bigger = new Session[slots.length * 2];
        for (Session s : slots) {
            if (s != null) {
                insert(bigger, s);
            }
        }
        slots = bigger;
    }

    private static void insert(Session[] t, Session session) {
        int mask = t.length - 1;
        int i = index(session.nearId(), mask);
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = session;
    }

    private static int index(int id, int mask) {
        int h = id * 0x9E3779B9; // session IDs are random already; this spreads any that are not
        return (h ^ (h >>> 16)) & mask;
    }
}
