package org.rtmfpd.server;

import java.util.ArrayList;
import java.util.List;
import org.rtmfpd.session.Session;

/**
 * Sessions in an open-addressing table (linear probing, at most half full), each in the run of slots
 * that starts at its key's hash: two or four array slots a session, 8 to 16 bytes, where a
 * {@code HashMap} spends a node of 32 and often a boxed key. Subclasses say what a session's key hashes
 * to and look sessions up by key themselves (a loop of their own, so that a lookup allocates nothing).
 * Protocol thread only.
 */
abstract class SessionSlots {
    private static final int FIRST_CAPACITY = 16;

    Session[] slots = new Session[FIRST_CAPACITY];
    private int size;

    /** The hash of the key {@code held} is filed under now. */
    abstract int hashOf(Session held);

    final int size() {
        return size;
    }

    /** Files {@code session} under {@code hash}, as one more session. */
    final void addUnder(int hash, Session session) {
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        insert(slots, hash, session);
        size++;
    }

    /** Removes {@code session}, filed under {@code hash}, if it is there; returns whether it was. */
    final boolean removeUnder(int hash, Session session) {
        Session[] t = slots;
        int mask = t.length - 1;
        int i = index(hash, mask);
        while (t[i] != session) {
            if (t[i] == null) {
                return false;
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: move up the sessions of the run after the hole that may fill it.
        int hole = i;
        for (int j = (hole + 1) & mask; t[j] != null; j = (j + 1) & mask) {
            int home = index(hashOf(t[j]), mask);
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
    final List<Session> snapshot() {
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
                insert(bigger, hashOf(s), s);
            }
        }
        slots = bigger;
    }

    private static void insert(Session[] t, int hash, Session session) {
        int mask = t.length - 1;
        int i = index(hash, mask);
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = session;
    }

    /** The first slot of {@code hash}'s run. */
    static int index(int hash, int mask) {
        int h = hash * 0x9E3779B9; // spreads keys that differ in their high bits only, or by small steps
        return (h ^ (h >>> 16)) & mask;
    }
}
