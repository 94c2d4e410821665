package org.rtmfpd.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.rtmfpd.rendezvous.PeerId;

/**
 * The pairs of the peer-cap ledger that involve this node's peers, as this node made them: what it
 * publishes again when Redis lost or dropped the ledger (a restart, a failover, an outage). Each peer
 * keeps its newest {@code 4 × cap} partners at most: the ledger counts only partners still connected,
 * at most {@code cap} of them, and older ones have mostly left.
 */
final class PairMemory {
    /** Partners kept per peer, per unit of peer cap. */
    static final int KEPT_PER_CAP = 4;

    private final Map<PeerId, LinkedHashSet<PeerId>> partners = new HashMap<>();

    /** {@code peer} (of this node) was introduced to {@code other}, under {@code cap}. */
    void add(PeerId peer, PeerId other, int cap) {
        LinkedHashSet<PeerId> set = partners.computeIfAbsent(peer, p -> new LinkedHashSet<>());
        set.remove(other);
        set.add(other);
        int keep = Math.max(1, cap) * KEPT_PER_CAP;
        while (set.size() > keep) {
            set.remove(set.iterator().next());
        }
    }

    /** {@code peer} left this node: its pairs are released, on its side and on its partners' of this node. */
    void remove(PeerId peer) {
        LinkedHashSet<PeerId> gone = partners.remove(peer);
        if (gone != null) {
            for (PeerId other : gone) {
                LinkedHashSet<PeerId> theirs = partners.get(other);
                if (theirs != null && theirs.remove(peer) && theirs.isEmpty()) {
                    partners.remove(other);
                }
            }
        }
    }

    /** Every remembered pair, peer → its partners (a copy). */
    Map<PeerId, List<PeerId>> snapshot() {
        Map<PeerId, List<PeerId>> copy = new HashMap<>();
        partners.forEach((p, set) -> copy.put(p, new ArrayList<>(set)));
        return copy;
    }

    /** Pairs remembered (each side counted). */
    int size() {
        return partners.values().stream().mapToInt(LinkedHashSet::size).sum();
    }
}
