package org.rtmfpd.rendezvous;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * NetGroup bootstrap: the members of each group, per developer key, in join order, and which member
 * IDs to hand out.
 *
 * <p><b>Join.</b> A joiner is handed the members that joined before it or after it, never itself:
 * all of them when there are at most {@code cap}; otherwise the {@code w = max(1, cap - 1)} most
 * recently joined, newest first, and then, when {@code cap >= 2}, one member picked at random among
 * the older rest. So a join never receives more than {@code cap} IDs. A member that joins the same
 * group again keeps its place and is handed members again the same way.
 *
 * <p><b>Leave.</b> When a member leaves (flow or session closed), the member that followed it in join
 * order (the follower) lost one of the {@code w} predecessors it was handed. It is told about the
 * member that now stands {@code w} places before it, the nearest predecessor it was not handed on
 * joining ({@code w} being computed from the follower's own cap at its join); if fewer than {@code w}
 * members precede it, about the earliest member. No referral is made when the leaver was last, or
 * when nobody precedes the follower any more.
 *
 * <p>Memory is bounded: a peer is in at most {@code maxGroupsPerPeer} groups (further joins are
 * refused and counted), and a group with no members is removed. One lock guards all groups; joins
 * are O(cap), leaves O(group size).
 */
public final class NetGroups {
    /** Default for the most groups one peer may be in at once. */
    public static final int DEFAULT_MAX_GROUPS_PER_PEER = 32;

    /**
     * Tell {@code recipient} (a member of {@code group}) about {@code member}, so the group stays
     * connected; the server sends {@code 0b <member>} on the recipient's GC flow for that group.
     */
    public record Referral(String developerKey, GroupId group, PeerId recipient, PeerId member) {
    }

    private record GroupKey(String developerKey, GroupId group) {
    }

    private record Member(PeerId peer, int cap) {
    }

    private static final class Group {
        final List<Member> order = new ArrayList<>();
        final Set<PeerId> present = new HashSet<>();
    }

    private final RandomGenerator random;
    private final int maxGroupsPerPeer;
    private final Object lock = new Object();
    // Guarded by lock.
    private final Map<GroupKey, Group> groups = new HashMap<>();
    private final Map<PeerId, Set<GroupKey>> groupsOfPeer = new HashMap<>();

    private final LongAdder joins = new LongAdder();
    private final LongAdder refusedJoins = new LongAdder();
    private final LongAdder leaves = new LongAdder();
    private final LongAdder referrals = new LongAdder();

    public NetGroups(RandomGenerator random) {
        this(random, DEFAULT_MAX_GROUPS_PER_PEER);
    }

    public NetGroups(RandomGenerator random, int maxGroupsPerPeer) {
        if (maxGroupsPerPeer < 1) {
            throw new IllegalArgumentException("maxGroupsPerPeer must be positive");
        }
        this.random = Objects.requireNonNull(random, "random");
        this.maxGroupsPerPeer = maxGroupsPerPeer;
    }

    /**
     * Adds {@code peer} to the group (if not already in it) and returns the member IDs to hand it, at
     * most {@code cap}, as described above. Returns an empty list, and adds nothing, when the peer is
     * already in {@code maxGroupsPerPeer} other groups.
     */
    public List<PeerId> join(String developerKey, GroupId group, PeerId peer, int cap) {
        Objects.requireNonNull(developerKey, "developerKey");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(peer, "peer");
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be positive, got " + cap);
        }
        GroupKey key = new GroupKey(developerKey, group);
        synchronized (lock) {
            Set<GroupKey> mine = groupsOfPeer.get(peer);
            Group g = groups.get(key);
            boolean already = g != null && g.present.contains(peer);
            if (!already && mine != null && mine.size() >= maxGroupsPerPeer) {
                refusedJoins.increment();
                return List.of();
            }
            if (g == null) {
                g = new Group();
                groups.put(key, g);
            }
            List<PeerId> handed = pick(g, peer, cap);
            if (!already) {
                g.order.add(new Member(peer, cap));
                g.present.add(peer);
                groupsOfPeer.computeIfAbsent(peer, p -> new LinkedHashSet<>()).add(key);
            }
            joins.increment();
            return handed;
        }
    }

    /** Removes {@code peer} from one group; returns the referral that keeps the group connected. */
    public Optional<Referral> leave(String developerKey, GroupId group, PeerId peer) {
        GroupKey key = new GroupKey(developerKey, group);
        synchronized (lock) {
            Set<GroupKey> mine = groupsOfPeer.get(peer);
            if (mine == null || !mine.remove(key)) {
                return Optional.empty();
            }
            if (mine.isEmpty()) {
                groupsOfPeer.remove(peer);
            }
            return removeFrom(key, peer);
        }
    }

    /** Removes {@code peer} from every group (its session closed); returns the referrals to send. */
    public List<Referral> leaveAll(PeerId peer) {
        synchronized (lock) {
            Set<GroupKey> mine = groupsOfPeer.remove(peer);
            if (mine == null) {
                return List.of();
            }
            List<Referral> out = new ArrayList<>();
            for (GroupKey key : mine) {
                removeFrom(key, peer).ifPresent(out::add);
            }
            return out;
        }
    }

    /** One member's place: who joined which group of which key, with the cap it joined with. */
    public record Membership(String developerKey, GroupId group, PeerId peer, int cap) {
    }

    /** Every membership, each group's in join order (to publish them again to a cluster store). */
    public List<Membership> memberships() {
        synchronized (lock) {
            List<Membership> out = new ArrayList<>();
            for (Map.Entry<GroupKey, Group> e : groups.entrySet()) {
                for (Member m : e.getValue().order) {
                    out.add(new Membership(e.getKey().developerKey(), e.getKey().group(), m.peer(), m.cap()));
                }
            }
            return out;
        }
    }

    /** The most groups one peer may be in at once. */
    public int maxGroupsPerPeer() {
        return maxGroupsPerPeer;
    }

    /** The members of a group in join order (for tests and diagnostics). */
    public List<PeerId> members(String developerKey, GroupId group) {
        synchronized (lock) {
            Group g = groups.get(new GroupKey(developerKey, group));
            return g == null ? List.of() : g.order.stream().map(Member::peer).toList();
        }
    }

    /** Groups with at least one member (a gauge). */
    public int groupCount() {
        synchronized (lock) {
            return groups.size();
        }
    }

    /** Peers in at least one group (a gauge). */
    public int memberCount() {
        synchronized (lock) {
            return groupsOfPeer.size();
        }
    }

    public long joinCount() {
        return joins.sum();
    }

    /** Joins refused because the peer was already in the most groups allowed. */
    public long refusedJoinCount() {
        return refusedJoins.sum();
    }

    public long leaveCount() {
        return leaves.sum();
    }

    public long referralCount() {
        return referrals.sum();
    }

    /** Window: how many of the most recent members a join with this cap receives when there are more. */
    static int window(int cap) {
        return Math.max(1, cap - 1);
    }

    private List<PeerId> pick(Group g, PeerId joiner, int cap) {
        List<PeerId> others = new ArrayList<>(g.order.size());
        for (Member m : g.order) {
            if (!m.peer().equals(joiner)) {
                others.add(m.peer());
            }
        }
        int n = others.size();
        if (n <= cap) {
            List<PeerId> all = new ArrayList<>(others);
            java.util.Collections.reverse(all);
            return all;
        }
        int w = window(cap);
        List<PeerId> out = new ArrayList<>(cap);
        for (int i = n - 1; i >= n - w; i--) {
            out.add(others.get(i));
        }
        if (cap >= 2) {
            out.add(others.get(random.nextInt(n - w)));
        }
        return out;
    }

    private Optional<Referral> removeFrom(GroupKey key, PeerId peer) {
        Group g = groups.get(key);
        int i = indexOf(g, peer);
        g.order.remove(i);
        g.present.remove(peer);
        leaves.increment();
        if (g.order.isEmpty()) {
            groups.remove(key);
            return Optional.empty();
        }
        if (i == 0 || i >= g.order.size()) {
            return Optional.empty(); // nobody precedes the follower, or nobody followed the leaver
        }
        Member follower = g.order.get(i);
        int target = Math.max(0, i - window(follower.cap()));
        referrals.increment();
        return Optional.of(new Referral(key.developerKey(), key.group(), follower.peer(),
                g.order.get(target).peer()));
    }

    private static int indexOf(Group g, PeerId peer) {
        for (int i = 0; i < g.order.size(); i++) {
            if (g.order.get(i).peer().equals(peer)) {
                return i;
            }
        }
        throw new IllegalStateException("member index out of step with its group");
    }
}
