package org.rtmfpd.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.rendezvous.Ids.group;
import static org.rtmfpd.rendezvous.Ids.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.rtmfpd.rendezvous.NetGroups.Referral;

class NetGroupsTest {
    /** A "random" source that returns the values it is given, in turn, for predictable picks. */
    static final class Scripted implements RandomGenerator {
        private final int[] values;
        private int next;
        final List<Integer> bounds = new ArrayList<>();

        Scripted(int... values) {
            this.values = values;
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int nextInt(int bound) {
            bounds.add(bound);
            return values[next++ % values.length];
        }
    }

    final Scripted random = new Scripted(0);
    final NetGroups groups = new NetGroups(random, 3);
    final GroupId g = group(1);

    private List<PeerId> peers(int... ns) {
        List<PeerId> out = new ArrayList<>();
        for (int n : ns) {
            out.add(peer(n));
        }
        return out;
    }

    private void joinAll(int from, int to, int cap) {
        for (int n = from; n <= to; n++) {
            groups.join("k", g, peer(n), cap);
        }
    }

    @Test
    void firstJoinerGetsNobodyAndSmallGroupsAreHandedOutWhole() {
        assertEquals(List.of(), groups.join("k", g, peer(1), 5));
        assertEquals(peers(1), groups.join("k", g, peer(2), 5));
        joinAll(3, 5, 5);
        assertEquals(peers(5, 4, 3, 2, 1), groups.join("k", g, peer(6), 5), "five others: all, newest first");
        assertTrue(random.bounds.isEmpty(), "no random pick while everybody fits");
    }

    @Test
    void largerGroupsGiveTheCapMinusOneNewestAndOneRandomOlderMember() {
        Scripted r = new Scripted(2);
        NetGroups gs = new NetGroups(r);
        for (int n = 1; n <= 9; n++) {
            gs.join("k", g, peer(n), 5);
        }
        r.bounds.clear();
        // Others: 1..9 (9 > cap 5): newest four 9,8,7,6, then one of 1..5 at random (index 2 → peer 3).
        assertEquals(peers(9, 8, 7, 6, 3), gs.join("k", g, peer(10), 5));
        assertEquals(List.of(5), r.bounds, "the random one is drawn from the five older members");
    }

    @Test
    void capOfOneGivesTheNewestOnly() {
        joinAll(1, 3, 1);
        assertEquals(peers(3), groups.join("k", g, peer(4), 1));
    }

    @Test
    void neverTheJoinerItselfEvenOnARepeatedJoin() {
        joinAll(1, 3, 5);
        assertEquals(peers(3, 2), groups.join("k", g, peer(1), 5));
        assertEquals(peers(1, 2, 3), groups.members("k", g), "a repeated join keeps its place");
    }

    @Test
    void groupsAreScopedByDeveloperKeyAndGroupId() {
        groups.join("k", g, peer(1), 5);
        assertEquals(List.of(), groups.join("other", g, peer(2), 5));
        assertEquals(List.of(), groups.join("k", group(2), peer(3), 5));
        assertEquals(peers(1), groups.join("k", g, peer(4), 5));
        assertEquals(3, groups.groupCount());
    }

    @Test
    void departedMembersAreNotHandedOut() {
        joinAll(1, 3, 5);
        groups.leave("k", g, peer(2));
        assertEquals(peers(3, 1), groups.join("k", g, peer(4), 5));
        groups.leaveAll(peer(3));
        assertEquals(peers(4, 1), groups.join("k", g, peer(5), 5));
    }

    @Test
    void leaveTellsTheFollowerAboutTheMemberThatEntersItsWindow() {
        joinAll(0, 9, 5); // members 0..9; window = cap - 1 = 4
        // Peer 9 was handed 8, 7, 6, 5 (+ one random older). Peer 8 leaves: 9 follows it and is now
        // 4 places behind peer 4.
        Optional<Referral> r = groups.leave("k", g, peer(8));
        assertEquals(Optional.of(new Referral("k", g, peer(9), peer(4))), r);
        assertEquals(1, groups.referralCount());
    }

    @Test
    void leaveNearTheStartRefersToTheEarliestMember() {
        joinAll(0, 9, 5);
        assertEquals(Optional.of(new Referral("k", g, peer(3), peer(0))), groups.leave("k", g, peer(2)));
    }

    @Test
    void noReferralWhenTheFirstOrLastMemberLeaves() {
        joinAll(0, 3, 5);
        assertEquals(Optional.empty(), groups.leave("k", g, peer(0)), "nobody precedes the follower");
        assertEquals(Optional.empty(), groups.leave("k", g, peer(3)), "nobody follows the last member");
        assertEquals(peers(1, 2), groups.members("k", g));
        assertEquals(0, groups.referralCount());
    }

    @Test
    void theFollowersOwnCapSetsItsWindow() {
        joinAll(0, 5, 5);
        groups.join("k", g, peer(6), 2); // window 1: it was handed peer 5 and one random older member
        assertEquals(Optional.of(new Referral("k", g, peer(6), peer(4))), groups.leave("k", g, peer(5)));
    }

    @Test
    void emptyGroupsAreRemoved() {
        joinAll(1, 2, 5);
        groups.leave("k", g, peer(1));
        groups.leaveAll(peer(2));
        assertEquals(0, groups.groupCount());
        assertEquals(0, groups.memberCount());
        assertEquals(List.of(), groups.members("k", g));
    }

    @Test
    void leavingWhatOneIsNotInDoesNothing() {
        joinAll(1, 2, 5);
        assertEquals(Optional.empty(), groups.leave("k", g, peer(9)));
        assertEquals(Optional.empty(), groups.leave("other", g, peer(1)));
        assertEquals(Optional.empty(), groups.leave("k", group(7), peer(1)));
        assertEquals(List.of(), groups.leaveAll(peer(9)));
        assertEquals(peers(1, 2), groups.members("k", g));
        assertEquals(0, groups.leaveCount());
    }

    @Test
    void leaveAllLeavesEveryGroupAndReturnsEachReferral() {
        GroupId h = group(2);
        for (int n = 0; n <= 2; n++) {
            groups.join("k", g, peer(n), 5);
            groups.join("k", h, peer(n), 5);
        }
        List<Referral> referrals = groups.leaveAll(peer(1));
        assertEquals(List.of(new Referral("k", g, peer(2), peer(0)), new Referral("k", h, peer(2), peer(0))), referrals);
        assertEquals(peers(0, 2), groups.members("k", g));
        assertEquals(peers(0, 2), groups.members("k", h));
        assertEquals(2, groups.leaveCount());
    }

    @Test
    void groupsPerPeerAreBounded() {
        for (int i = 1; i <= 3; i++) {
            groups.join("k", group(i), peer(1), 5);
        }
        assertEquals(List.of(), groups.join("k", group(4), peer(1), 5));
        assertEquals(1, groups.refusedJoinCount());
        assertEquals(List.of(), groups.members("k", group(4)));
        assertEquals(0, groups.members("k", group(4)).size());
        groups.join("k", group(1), peer(2), 5);
        assertEquals(peers(2), groups.join("k", group(1), peer(1), 5), "a repeated join is not a new group");
        groups.leave("k", group(2), peer(1));
        assertEquals(List.of(), groups.join("k", group(4), peer(1), 5));
        assertEquals(peers(1), groups.members("k", group(4)), "room again after leaving one");
    }

    @Test
    void capMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> groups.join("k", g, peer(1), 0));
    }
}
