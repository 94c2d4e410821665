package org.rtmfpd.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.rendezvous.Ids.addr;
import static org.rtmfpd.rendezvous.Ids.group;
import static org.rtmfpd.rendezvous.Ids.peer;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.rtmfpd.rendezvous.Introducer.Introduce;
import org.rtmfpd.rendezvous.Introducer.Reason;
import org.rtmfpd.rendezvous.Rendezvous.Admission;

/** The rendezvous rules end to end, through the calls the session and Flash layers make. */
class RendezvousTest {
    static final byte[] TAG = new byte[16];

    /** A session: the handle the registry keeps, compared by identity. */
    record Session(int n) {
    }

    final AtomicReference<DeveloperKeys> keys = new AtomicReference<>(DeveloperKeys.of(List.of(
            DeveloperKey.of("app"),
            new DeveloperKey("big", "", OptionalInt.of(50), OptionalInt.empty()),
            new DeveloperKey("small", "", OptionalInt.empty(), OptionalInt.of(2)))));
    final LocalRendezvous<Session> rv = new LocalRendezvous<>(k -> keys.get().find(k), 5,
            () -> Instant.EPOCH, new Random(7));

    /** What the rendezvous delivered: a referral (recipient, group, member), or an eviction. */
    record Sent(Session to, String what, GroupId group, PeerId member) {
    }

    final List<Sent> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

    {
        rv.outbox(new Outbox<>() {
            @Override
            public void forward(Session target, org.rtmfpd.wire.ForwardedIHello forward) {
                sent.add(new Sent(target, "forward", null, null));
            }

            @Override
            public void refer(Session recipient, GroupId group, PeerId member) {
                sent.add(new Sent(recipient, "refer", group, member));
            }

            @Override
            public void evict(Session replaced) {
                sent.add(new Sent(replaced, "evict", null, null));
            }
        });
    }

    private List<Sent> referrals() {
        return sent.stream().filter(x -> x.what().equals("refer")).toList();
    }

    private static <T> T now(java.util.concurrent.CompletionStage<T> stage) {
        java.util.concurrent.CompletableFuture<T> f = stage.toCompletableFuture();
        assertTrue(f.isDone(), "a local rendezvous answers at once");
        return f.join();
    }

    private Admission admit(String key, int n, Session s) {
        return now(rv.connected(key, peer(n), at(n), s));
    }

    private List<PeerId> join(int n, Session s, GroupId g) {
        return now(rv.join(peer(n), s, g));
    }

    static InetSocketAddress at(int n) {
        return addr("10." + (n >> 16 & 0xff) + "." + (n >> 8 & 0xff) + "." + (n & 0xff), 1935 + (n & 0xfff));
    }

    /** The last session {@link #connect} made for each peer number. */
    final Map<Integer, Session> sessions = new HashMap<>();

    private Session connect(String key, int n) {
        Session s = new Session(n);
        Admission c = admit(key, n, s);
        assertTrue(c.admitted(), c.toString());
        sessions.put(n, s);
        return s;
    }

    /** An IHello for peer {@code to} from the session of peer {@code from}, at its address. */
    private Introducer.Outcome<Session> ask(int from, int to) {
        return now(rv.introduce(peer(from), sessions.get(from), at(from), peer(to), TAG));
    }

    private Reason refusal(Introducer.Outcome<Session> o) {
        return assertInstanceOf(Introducer.Refused.class, o).reason();
    }

    @Test
    void twoPeersMeetByPeerId() {
        Session a = connect("app", 1);
        Session b = connect("app", 2);
        rv.peerInfo(peer(2), b, List.of(addr("192.168.0.2", 1935)));
        Introducer.Outcome<Session> o = ask(1, 2);
        Introduce<Session> i = o instanceof Introduce<Session> yes ? yes : null;
        assertTrue(i != null, o.toString());
        assertEquals(peer(2), i.target().peerId());
        assertSame(a, i.initiator().handle());
        assertEquals(2, i.redirect().size());
        assertEquals(at(1), i.forward().address());
    }

    @Test
    void sixthDistinctInitiatorIsRefusedAndAcceptedAfterOneOfTheFirstFiveLeaves() {
        connect("app", 0);
        Session[] s = new Session[7];
        for (int n = 1; n <= 6; n++) {
            s[n] = connect("app", n);
        }
        for (int n = 1; n <= 5; n++) {
            assertInstanceOf(Introduce.class, ask(n, 0));
        }
        assertEquals(Reason.TARGET_CAP, refusal(ask(6, 0)));
        assertInstanceOf(Introduce.class, ask(3, 0), "a repeat from one of the five still works");
        rv.closed(peer(4), s[4]);
        assertInstanceOf(Introduce.class, ask(6, 0));
        assertEquals(Reason.INITIATOR_NOT_REGISTERED, refusal(ask(4, 0)), "the departed one is gone");
    }

    @Test
    void perKeyCapOfFiftyIsHonoured() {
        connect("big", 0);
        for (int n = 1; n <= 51; n++) {
            connect("big", n);
        }
        for (int n = 1; n <= 50; n++) {
            assertInstanceOf(Introduce.class, ask(n, 0), "initiator " + n);
        }
        assertEquals(Reason.TARGET_CAP, refusal(ask(51, 0)));
        assertEquals(50, rv.peerCapOf("big"));
        assertEquals(5, rv.peerCapOf("app"));
    }

    @Test
    void peersOfTwoKeysNeverMeet() {
        connect("app", 1);
        connect("big", 2);
        assertEquals(Reason.OTHER_DEVELOPER_KEY, refusal(ask(1, 2)));
        assertEquals(Reason.OTHER_DEVELOPER_KEY, refusal(ask(2, 1)));
        Session a3 = connect("app", 3);
        Session b4 = connect("big", 4);
        assertEquals(List.of(), join(3, a3, group(1)));
        assertEquals(List.of(), join(4, b4, group(1)), "same group ID, other key: another group");
    }

    @Test
    void unknownKeyAndMaxSessionsAreRefusedAtConnect() {
        assertEquals(Admission.UNKNOWN_KEY, admit("nope", 1, new Session(1)));
        connect("small", 1);
        Session two = connect("small", 2);
        assertEquals(Admission.MAX_SESSIONS, admit("small", 3, new Session(3)));
        assertTrue(rv.registry().find(peer(3)).isEmpty());
        rv.closed(peer(2), two);
        connect("small", 3);
    }

    @Test
    void revokedKeyKeepsItsSessionsAndFallsBackToTheServerCap() {
        connect("big", 1);
        keys.set(DeveloperKeys.of(List.of(DeveloperKey.of("app"))));
        assertEquals(5, rv.peerCapOf("big"));
        assertTrue(rv.registry().lookup("big", peer(1)).isPresent());
        assertEquals(Admission.UNKNOWN_KEY, admit("big", 2, new Session(2)));
    }

    @Test
    void closedPeerIsNeitherIntroducedNorHandedOutAndItsSlotsAreFree() {
        Session a = connect("app", 1);
        Session b = connect("app", 2);
        Session c = connect("app", 3);
        assertInstanceOf(Introduce.class, ask(1, 2));
        join(1, a, group(1));
        join(2, b, group(1));
        rv.closed(peer(2), b);
        assertEquals(Reason.UNKNOWN_TARGET, refusal(ask(1, 2)));
        assertEquals(0, rv.ledger().slotsInUse(peer(1)));
        assertEquals(List.of(peer(1)), join(3, c, group(1)));
        assertFalse(rv.ledger().isConnected(peer(2)));
        sent.clear();
        rv.closed(peer(2), b);
        assertEquals(List.of(), sent, "closing twice does nothing");
    }

    @Test
    void closeDeliversTheReferralsToTheRecipientsSessions() {
        Session[] s = new Session[8];
        for (int n = 0; n < 8; n++) {
            s[n] = connect("app", n);
            join(n, s[n], group(1));
        }
        rv.closed(peer(6), s[6]);
        assertEquals(1, referrals().size());
        Sent r = referrals().get(0);
        assertSame(s[7], r.to());
        // Peer 7 was handed 6, 5, 4, 3 (and one older at random); without 6 its window reaches 2.
        assertEquals(peer(2), r.member());
        assertEquals(group(1), r.group());
    }

    @Test
    void leaveOfOneGroupDeliversItsReferral() {
        Session[] s = new Session[3];
        for (int n = 0; n < 3; n++) {
            s[n] = connect("app", n);
            join(n, s[n], group(1));
        }
        rv.leave(peer(1), s[1], group(1));
        assertEquals(1, referrals().size());
        assertSame(s[2], referrals().get(0).to());
        assertEquals(peer(0), referrals().get(0).member());
        rv.leave(peer(1), s[1], group(1));
        assertEquals(1, referrals().size(), "leaving twice refers nobody");
    }

    @Test
    void netGroupOfTwentyJoinersWithDepartures() {
        Session[] s = new Session[20];
        Set<PeerId> departed = new HashSet<>();
        for (int n = 0; n < 20; n++) {
            s[n] = connect("app", n);
            List<PeerId> handed = join(n, s[n], group(9));
            assertTrue(handed.size() <= 5, "joiner " + n + " got " + handed.size());
            assertFalse(handed.contains(peer(n)));
            for (PeerId d : departed) {
                assertFalse(handed.contains(d), "departed " + d + " handed to " + n);
            }
            if (n % 4 == 3) {
                rv.closed(peer(n - 1), s[n - 1]);
                departed.add(peer(n - 1));
            }
        }
        assertEquals(15, rv.groups().members("app", group(9)).size());
    }

    @Test
    void aSecondSessionWithTheSamePeerIdReplacesTheFirst() {
        Session old = connect("app", 1);
        Session b = connect("app", 2);
        join(1, old, group(1));
        join(2, b, group(1));
        assertInstanceOf(Introduce.class, ask(2, 1));
        Session fresh = new Session(1);
        assertEquals(Admission.REPLACED, admit("app", 1, fresh));
        assertEquals(new Sent(old, "evict", null, null), sent.get(0), "the old session is closed");
        assertEquals(List.of(peer(2)), rv.groups().members("app", group(1)), "the old session left its groups");
        assertFalse(rv.ledger().introduced(peer(1), peer(2)), "the old session's pairs are gone");
        int before = sent.size();
        rv.closed(peer(1), old);
        assertEquals(before, sent.size(), "the old session closing changes nothing");
        assertSame(fresh, rv.registry().find(peer(1)).orElseThrow().handle());
        assertTrue(rv.ledger().isConnected(peer(1)));
        assertInstanceOf(Introduce.class, ask(2, 1));
        assertEquals(List.of(), join(1, old, group(2)), "a stale session cannot join");
        assertEquals(Reason.INITIATOR_NOT_REGISTERED, refusal(now(rv.introduce(peer(1), old, at(1), peer(2), TAG))),
                "nor introduce");
    }

    @Test
    void updatesFromAStaleSessionAreIgnored() {
        Session old = connect("app", 1);
        Session fresh = new Session(1);
        admit("app", 1, fresh);
        rv.peerInfo(peer(1), old, List.of(addr("192.168.0.1", 1)));
        rv.addressChanged(peer(1), old, addr("10.200.0.2", 1));
        assertEquals(at(1), rv.registry().find(peer(1)).orElseThrow().observed(), "the stale session moved nothing");
        assertEquals(List.of(), rv.registry().find(peer(1)).orElseThrow().reported());
        rv.addressChanged(peer(1), fresh, addr("10.200.0.1", 1));
        assertEquals(addr("10.200.0.1", 1), rv.registry().find(peer(1)).orElseThrow().observed());
    }

    @Test
    void concurrentSessionsKeepRegistryLedgerAndGroupsConsistent() throws Exception {
        // Each thread owns the sessions of a quarter of the peers (one session's calls come from one
        // thread, as on an event loop) and introduces them to peers owned by any thread.
        int threads = 4;
        int peers = 64;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            done.add(pool.submit(() -> {
                Random r = new Random(me);
                Session[] mine = new Session[peers];
                start.await();
                for (int step = 0; step < 20_000; step++) {
                    int n = r.nextInt(peers / threads) * threads + me;
                    switch (r.nextInt(5)) {
                        case 0 -> {
                            if (mine[n] == null) {
                                mine[n] = new Session(n);
                                rv.connected("app", peer(n), at(n), mine[n]);
                            } else {
                                rv.closed(peer(n), mine[n]);
                                mine[n] = null;
                            }
                        }
                        case 1 -> {
                            if (mine[n] != null) {
                                List<PeerId> handed = join(n, mine[n], group(r.nextInt(3)));
                                if (handed.size() > 5 || handed.contains(peer(n))) {
                                    throw new AssertionError("bad handout " + handed);
                                }
                            }
                        }
                        default -> {
                            if (mine[n] != null) {
                                rv.introduce(peer(n), mine[n], at(n), peer(r.nextInt(peers)), TAG);
                            }
                        }
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<?> f : done) {
            f.get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(rv.registry().size(), rv.ledger().connectedPeers(), "registry and ledger agree on who is here");
        for (int n = 0; n < peers; n++) {
            boolean here = rv.registry().find(peer(n)).isPresent();
            assertEquals(here, rv.ledger().isConnected(peer(n)), "peer " + n);
            assertTrue(rv.ledger().slotsInUse(peer(n)) <= 5, "peer " + n + " over its cap");
            for (int m = 0; m < peers; m++) {
                if (rv.ledger().introduced(peer(n), peer(m))) {
                    assertTrue(here && rv.registry().find(peer(m)).isPresent(), "pair with a departed peer");
                }
            }
        }
        for (int g = 0; g < 3; g++) {
            for (PeerId member : rv.groups().members("app", group(g))) {
                assertTrue(rv.registry().find(member).isPresent(), "departed member " + member + " in group " + g);
            }
        }
        assertTrue(rv.introducer().introductionCount() > 0);
    }
}
