package org.rtmfpd.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.rtmfpd.rendezvous.PeerId;

/**
 * This node's side of the peer-cap ledger for pairs that cross nodes: for each of this node's peers, the
 * clients of other nodes it was introduced to (and their node), and the slots it has reserved while
 * another node decides the other side. Pairs of two peers of this node are the local ledger's
 * ({@code IntroductionLedger}); a peer's slots in use are the two added together.
 *
 * <p>Each node owns the ledger of its own peers: every decision about a peer's slots is made on its
 * node's protocol thread, so the cap is exact without any lock across nodes. Used on that thread only.
 */
final class RemotePairs {
    /** This node's peer → its partners on other nodes → their node. */
    private final Map<PeerId, Map<PeerId, String>> partners = new HashMap<>();
    /** This node's peer → slots reserved for introductions that another node is deciding. */
    private final Map<PeerId, Integer> reserved = new HashMap<>();

    /** Slots {@code peer} holds here: its partners on other nodes and its reservations. */
    int held(PeerId peer) {
        Map<PeerId, String> mine = partners.get(peer);
        return (mine == null ? 0 : mine.size()) + reserved.getOrDefault(peer, 0);
    }

    /** Whether {@code peer} was introduced to {@code other}, a client of another node. */
    boolean has(PeerId peer, PeerId other) {
        Map<PeerId, String> mine = partners.get(peer);
        return mine != null && mine.containsKey(other);
    }

    /** {@code peer} was introduced to {@code other}, a client of {@code node}. */
    void add(PeerId peer, PeerId other, String node) {
        partners.computeIfAbsent(peer, p -> new HashMap<>(4)).put(other, node);
    }

    /** {@code other} left: its pair with {@code peer} no longer holds a slot. */
    void drop(PeerId peer, PeerId other) {
        Map<PeerId, String> mine = partners.get(peer);
        if (mine != null && mine.remove(other) != null && mine.isEmpty()) {
            partners.remove(peer);
        }
    }

    /** Takes a slot of {@code peer} until {@link #unreserve}. */
    void reserve(PeerId peer) {
        reserved.merge(peer, 1, Integer::sum);
    }

    void unreserve(PeerId peer) {
        reserved.computeIfPresent(peer, (p, n) -> n <= 1 ? null : n - 1);
    }

    /** {@code peer} left this node: answers its partners on other nodes (to be told), and forgets them. */
    Map<PeerId, String> release(PeerId peer) {
        Map<PeerId, String> gone = partners.remove(peer); // its reservations end with their asks
        return gone == null ? Map.of() : gone;
    }

    /** The nodes that hold partners of this node's peers. */
    Set<String> nodes() {
        Set<String> out = new HashSet<>();
        partners.values().forEach(mine -> out.addAll(mine.values()));
        return out;
    }

    /** Forgets the partners held by the nodes {@code gone} (they died or left); answers how many. */
    int dropNodes(Set<String> gone) {
        int n = 0;
        var it = partners.values().iterator();
        while (it.hasNext()) {
            Map<PeerId, String> mine = it.next();
            int before = mine.size();
            mine.values().removeIf(gone::contains);
            n += before - mine.size();
            if (mine.isEmpty()) {
                it.remove();
            }
        }
        return n;
    }

    /** Every pair: this node's peer, its partner, the partner's node. */
    void forEach(TriConsumer each) {
        partners.forEach((peer, mine) -> mine.forEach((other, node) -> each.accept(peer, other, node)));
    }

    /** Pairs held (a peer and a partner on another node). */
    int size() {
        return partners.values().stream().mapToInt(Map::size).sum();
    }

    @FunctionalInterface
    interface TriConsumer {
        void accept(PeerId peer, PeerId partner, String node);
    }
}
