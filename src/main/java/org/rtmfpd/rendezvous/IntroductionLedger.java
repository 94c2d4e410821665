package org.rtmfpd.rendezvous;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Peer-cap accounting: which connected peers rtmfpd has introduced to each other.
 *
 * <p>A peer's slots are the distinct peers it has been introduced to (as initiator or as target)
 * that are still connected. An introduction of a new pair is allowed only if both sides have a free
 * slot; a pair already introduced is allowed again without using another slot. When a peer is
 * {@link #release released} (its session closed), its pairs are forgotten and the slots it held on
 * the other side free up.
 *
 * <p>Only peers {@link #connect connected} here can be introduced, which closes the race between an
 * introduction and the target's session closing: an introduction decided after the release is
 * refused instead of leaving a slot behind. One lock guards the ledger; every critical section is a
 * few hash-set operations (a release walks the peer's own pairs, at most its cap).
 */
public final class IntroductionLedger {

    /** The answer to {@link #tryIntroduce}. */
    public enum Decision {
        /** A new pair: one slot used on each side. */
        INTRODUCED,
        /** The pair was already introduced (a repeated IHello, or the other direction): no new slot. */
        ALREADY_INTRODUCED,
        /** The initiator already holds as many peers as its cap allows. */
        REFUSED_INITIATOR_CAP,
        /** The target already holds as many peers as its cap allows. */
        REFUSED_TARGET_CAP,
        /** The initiator is not connected (never was, or was released). */
        REFUSED_INITIATOR_GONE,
        /** The target is not connected (never was, or was released). */
        REFUSED_TARGET_GONE;

        public boolean allowed() {
            return this == INTRODUCED || this == ALREADY_INTRODUCED;
        }
    }

    private final Object lock = new Object();
    // Guarded by lock. Symmetric: b ∈ pairs[a] ⇔ a ∈ pairs[b]. Keys are the connected peers.
    private final Map<PeerId, Set<PeerId>> pairs = new HashMap<>();
    private int pairTotal; // guarded by lock

    /** Marks {@code peer} as connected, with no slots used; does nothing if it already is. */
    public void connect(PeerId peer) {
        synchronized (lock) {
            pairs.putIfAbsent(peer, Set.of()); // a set of its own at the first pair: most peers have none
        }
    }

    /**
     * Decides an introduction of {@code initiator} to {@code target} and, when it is allowed, records
     * the pair. A cap is the most distinct peers that side may hold; it is checked only when the pair
     * is new, so lowering a cap never breaks pairs already made.
     */
    public Decision tryIntroduce(PeerId initiator, PeerId target, int initiatorCap, int targetCap) {
        if (initiator.equals(target)) {
            throw new IllegalArgumentException("a peer cannot be introduced to itself");
        }
        synchronized (lock) {
            Set<PeerId> ofInitiator = pairs.get(initiator);
            if (ofInitiator == null) {
                return Decision.REFUSED_INITIATOR_GONE;
            }
            Set<PeerId> ofTarget = pairs.get(target);
            if (ofTarget == null) {
                return Decision.REFUSED_TARGET_GONE;
            }
            if (ofInitiator.contains(target)) {
                return Decision.ALREADY_INTRODUCED;
            }
            if (ofInitiator.size() >= initiatorCap) {
                return Decision.REFUSED_INITIATOR_CAP;
            }
            if (ofTarget.size() >= targetCap) {
                return Decision.REFUSED_TARGET_CAP;
            }
            add(initiator, ofInitiator, target);
            add(target, ofTarget, initiator);
            pairTotal++;
            return Decision.INTRODUCED;
        }
    }

    /** Adds {@code other} to {@code peer}'s {@code set}; the shared empty set is replaced by a set of its own. */
    private void add(PeerId peer, Set<PeerId> set, PeerId other) {
        if (set.isEmpty()) {
            set = new HashSet<>(4);
            pairs.put(peer, set);
        }
        set.add(other);
    }

    /**
     * Forgets {@code peer}: it is no longer connected, and every slot its pairs held on the other side
     * is free again. Returns how many pairs were dropped.
     */
    public int release(PeerId peer) {
        synchronized (lock) {
            Set<PeerId> mine = pairs.remove(peer);
            if (mine == null) {
                return 0;
            }
            for (PeerId other : mine) {
                pairs.get(other).remove(peer);
            }
            pairTotal -= mine.size();
            return mine.size();
        }
    }

    /** Slots {@code peer} holds now: the connected peers it has been introduced to. */
    public int slotsInUse(PeerId peer) {
        synchronized (lock) {
            Set<PeerId> mine = pairs.get(peer);
            return mine == null ? 0 : mine.size();
        }
    }

    /** Whether {@code a} and {@code b} have been introduced and are both still connected. */
    public boolean introduced(PeerId a, PeerId b) {
        synchronized (lock) {
            Set<PeerId> mine = pairs.get(a);
            return mine != null && mine.contains(b);
        }
    }

    public boolean isConnected(PeerId peer) {
        synchronized (lock) {
            return pairs.containsKey(peer);
        }
    }

    /** Connected peers (a gauge). */
    public int connectedPeers() {
        synchronized (lock) {
            return pairs.size();
        }
    }

    /** Pairs recorded (a gauge). */
    public int pairCount() {
        synchronized (lock) {
            return pairTotal;
        }
    }
}
