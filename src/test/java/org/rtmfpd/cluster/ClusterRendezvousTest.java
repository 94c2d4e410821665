package org.rtmfpd.cluster;

import static org.rtmfpd.rendezvous.Ids.group;
import static org.rtmfpd.rendezvous.Ids.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rtmfpd.rendezvous.DeveloperKey;
import org.rtmfpd.rendezvous.DeveloperKeys;
import org.rtmfpd.rendezvous.GroupId;
import org.rtmfpd.rendezvous.Introducer;
import org.rtmfpd.rendezvous.LocalRendezvous;
import org.rtmfpd.rendezvous.Outbox;
import org.rtmfpd.rendezvous.Peer;
import org.rtmfpd.rendezvous.PeerId;
import org.rtmfpd.rendezvous.Rendezvous.Admission;
import org.rtmfpd.wire.ForwardedIHello;
import org.rtmfpd.wire.PeerAddress;

/**
 * What a node asks the cluster store, what it does with each answer, and how it keeps serving its own
 * clients while the store is unreachable and publishes them again when it is back (a scripted store:
 * the store's own rules are RedisClusterStore's tests).
 */
class ClusterRendezvousTest {
    static final byte[] TAG = new byte[16];
    static final String NODE = "node-1";

    record Session(int n) {
    }

    /** A message the node sent to another node. */
    record Sent(String node, Delivery delivery) {
    }

    final ScriptedClusterStore store = new ScriptedClusterStore();
    final List<Sent> couriered = new ArrayList<>();
    Consumer<Delivery> inbox;
    final List<String> outbox = new ArrayList<>();
    final DeveloperKeys keys = DeveloperKeys.of(List.of(DeveloperKey.of("app"),
            new DeveloperKey("small", "", java.util.OptionalInt.empty(), java.util.OptionalInt.of(2))));
    final LocalRendezvous<Session> local = new LocalRendezvous<>(NODE, keys::find, 5, () -> Instant.EPOCH,
            new Random(3));
    final ClusterRendezvous<Session> rv = new ClusterRendezvous<>(local, store, new Courier() {
        @Override
        public void send(String node, Delivery delivery) {
            couriered.add(new Sent(node, delivery));
        }

        @Override
        public void receive(String node, Consumer<Delivery> receiver) {
            assertEquals(NODE, node);
            inbox = receiver;
        }

        @Override
        public void close() {
        }
    }, Runnable::run, keys::find);

    static InetSocketAddress at(int n) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 20_000 + n);
    }

    static <T> T now(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @BeforeEach
    void wire() {
        rv.outbox(new Outbox<>() {
            @Override
            public void forward(Session target, ForwardedIHello forward) {
                outbox.add("forward to " + target.n());
            }

            @Override
            public void refer(Session recipient, GroupId group, PeerId member) {
                outbox.add("refer " + recipient.n() + " to " + member);
            }

            @Override
            public void evict(Session replaced) {
                outbox.add("evict " + replaced.n());
            }
        });
        rv.onStoreState(true);
        assertTrue(rv.shared(), "up, with nothing to publish: the cluster decides");
        store.calls.clear();
    }

    private Session connect(int n) {
        Session s = new Session(n);
        assertTrue(now(rv.connected("app", peer(n), at(n), s)).admitted());
        return s;
    }

    @Test
    void connectIsTheStoresDecisionWithTheKeysMaxSessions() {
        store.admit = () -> new ClusterStore.Admit(ClusterStore.Admitted.MAX_SESSIONS, Optional.empty(), List.of());
        assertEquals(Admission.MAX_SESSIONS, now(rv.connected("small", peer(1), at(1), new Session(1))));
        assertEquals(List.of("admit " + peer(1) + " max 2"), store.calls);
        assertEquals(0, rv.localPeers(), "refused by the cluster: not registered here either");
        assertEquals(Admission.UNKNOWN_KEY, now(rv.connected("nope", peer(2), at(2), new Session(2))));
        assertEquals(1, store.calls.size(), "an unknown key is refused without asking the store");
    }

    @Test
    void aPeerReplacedOnAnotherNodeIsEvictedThereAndItsGroupsRepaired() {
        Peer old = new Peer("app", peer(1), at(1), List.of(), "node-2");
        connect(9);
        store.admit = () -> new ClusterStore.Admit(ClusterStore.Admitted.REPLACED, Optional.of(old), List.of(
                new ClusterStore.Referral("app", group(1), peer(7), "node-3", peer(8)),
                new ClusterStore.Referral("app", group(1), peer(9), NODE, peer(8))));
        assertEquals(Admission.REPLACED, now(rv.connected("app", peer(1), at(1), new Session(1))));
        assertEquals(List.of(new Sent("node-2", new Delivery.Evict(peer(1))),
                new Sent("node-3", new Delivery.Refer(peer(7), group(1), peer(8)))), couriered);
        assertEquals(List.of("refer 9 to " + peer(8)), outbox, "a recipient on this node directly");
    }

    @Test
    void anInitiatorThatIsNotThisNodesRegisteredSessionIsRefusedWithoutAskingTheStore() {
        connect(1);
        var outcome = now(rv.introduce(peer(1), new Session(1), at(1), peer(2), TAG));
        assertEquals(Introducer.Reason.INITIATOR_NOT_REGISTERED, assertInstanceOf(Introducer.Refused.class, outcome)
                .reason());
        assertEquals(List.of("admit " + peer(1) + " max " + Integer.MAX_VALUE), store.calls);
    }

    static final byte[] EPD = {0x21, 0x0f, 1, 2, 3};

    /** The asks that routes published, decoded. */
    List<Delivery.Ask> asks() {
        return store.asks.stream().map(b -> (Delivery.Ask) DeliveryCodec.decode(b)).toList();
    }

    Introducer.Outcome<Session> answer(java.util.concurrent.CompletableFuture<Introducer.Outcome<Session>> pending,
            Delivery.Ask ask, Delivery.Verdict verdict) {
        assertFalse(pending.isDone(), "waits for the target's node");
        inbox.accept(new Delivery.Answer(ask.initiator(), ask.peer(), "node-2", ask.ask(), verdict));
        return pending.join();
    }

    java.util.concurrent.CompletableFuture<Introducer.Outcome<Session>> introduce(int initiator, Session s, int target) {
        return rv.introduce(peer(initiator), s, at(initiator), peer(target), TAG, EPD).toCompletableFuture();
    }

    @Test
    void twoClientsOfThisNodeAreIntroducedWithoutAskingTheStore() {
        Session a = connect(1);
        connect(2);
        store.calls.clear();
        var introduce = assertInstanceOf(Introducer.Introduce.class, now(introduce(1, a, 2)));
        assertTrue(introduce.newPair());
        assertEquals(List.of(), store.calls, "no Redis call");
        rv.forward(introduce.target(), new ForwardedIHello(EPD, introduce.forward(), TAG));
        assertEquals(List.of("forward to 2"), outbox);
        assertEquals(List.of(), couriered);
    }

    @Test
    void aTargetOnAnotherNodeIsAskedOfThatNodeWhichSendsTheForwardedIHello() {
        Session a = connect(1);
        Peer target = new Peer("app", peer(2), at(2), List.of(at(12)), "node-2");
        store.route = () -> new ClusterStore.Routed(target);
        var pending = introduce(1, a, 2);
        assertEquals(List.of("route " + peer(2) + " from " + NODE), store.calls.subList(1, 2));
        Delivery.Ask ask = asks().get(0);
        assertEquals(List.of(peer(2), peer(1), NODE, at(1), List.of()),
                List.of(ask.peer(), ask.initiator(), ask.initiatorNode(), ask.from(), ask.reported()));
        assertArrayEquals(EPD, ask.epd());
        assertArrayEquals(TAG, ask.tag());
        var introduce = assertInstanceOf(Introducer.Introduce.class, answer(pending, ask, Delivery.Verdict.NEW_PAIR));
        assertEquals(2, introduce.redirect().size(), "observed, then reported");
        assertTrue(introduce.newPair());
        rv.forward(target, new ForwardedIHello(EPD, introduce.forward(), TAG));
        assertEquals(List.of(), couriered, "node 2 sent the Forwarded IHello as it answered");

        pending = introduce(1, a, 2);
        var again = assertInstanceOf(Introducer.Introduce.class, answer(pending, asks().get(1), Delivery.Verdict.REPEAT));
        assertFalse(again.newPair(), "a repeat, on both sides");

        store.route = () -> new ClusterStore.Routed(new Peer("app", peer(3), at(3), List.of(), "node-2"));
        var refused = introduce(1, a, 3);
        assertEquals(Introducer.Reason.TARGET_CAP, assertInstanceOf(Introducer.Refused.class,
                answer(refused, asks().get(2), Delivery.Verdict.TARGET_CAP)).reason());
    }

    @Test
    void anIntroductionWithoutTheEpdHasItsForwardedIHelloSentByTheCourier() {
        Session a = connect(1);
        Peer target = new Peer("app", peer(2), at(2), List.of(), "node-2");
        store.route = () -> new ClusterStore.Routed(target);
        var pending = rv.introduce(peer(1), a, at(1), peer(2), TAG).toCompletableFuture();
        assertEquals(0, asks().get(0).epd().length);
        var introduce = assertInstanceOf(Introducer.Introduce.class, answer(pending, asks().get(0),
                Delivery.Verdict.NEW_PAIR));
        rv.forward(target, new ForwardedIHello(EPD, introduce.forward(), TAG));
        assertEquals("node-2", couriered.get(0).node());
        assertInstanceOf(Delivery.Forward.class, couriered.get(0).delivery());
    }

    /** An ask of node 2's client {@code initiator} for this node's {@code target}: the answer sent back. */
    Delivery.Answer askedBy(int initiator, int target) {
        couriered.clear();
        inbox.accept(new Delivery.Ask(peer(target), peer(initiator), "node-2", 40 + initiator, EPD, at(initiator),
                List.of(at(100 + initiator)), TAG));
        Delivery.Answer answer = (Delivery.Answer) couriered.get(couriered.size() - 1).delivery();
        assertEquals(new Delivery.Answer(peer(initiator), peer(target), NODE, 40 + initiator, answer.verdict()), answer);
        return answer;
    }

    @Test
    void thisNodeDecidesItsOwnPeersSideOfEveryPairExactly() {
        Session t = connect(1);
        Session b = connect(2);
        for (int i = 11; i <= 14; i++) {
            assertEquals(Delivery.Verdict.NEW_PAIR, askedBy(i, 1).verdict());
        }
        assertEquals(4, outbox.size(), "each sent its Forwarded IHello: " + outbox);
        assertInstanceOf(Introducer.Introduce.class, now(introduce(2, b, 1)), "the fifth slot, by a peer of this node");
        assertEquals(Delivery.Verdict.TARGET_CAP, askedBy(15, 1).verdict(), "cap 5: four across nodes, one here");
        assertEquals(Delivery.Verdict.REPEAT, askedBy(11, 1).verdict());
        assertEquals(Delivery.Verdict.UNKNOWN_TARGET, askedBy(16, 9).verdict());
        outbox.clear();
        Session c = connect(3);
        assertEquals(Introducer.Reason.TARGET_CAP, assertInstanceOf(Introducer.Refused.class,
                now(introduce(3, c, 1))).reason(), "the pairs across nodes count here too");
        inbox.accept(new Delivery.Pair(peer(1), peer(12), "node-2", false)); // 12 left node 2
        assertInstanceOf(Introducer.Introduce.class, now(introduce(3, c, 1)));
        couriered.clear();
        rv.closed(peer(1), t);
        assertEquals(Set.of(new Sent("node-2", new Delivery.Pair(peer(11), peer(1), NODE, false)),
                new Sent("node-2", new Delivery.Pair(peer(13), peer(1), NODE, false)),
                new Sent("node-2", new Delivery.Pair(peer(14), peer(1), NODE, false))), Set.copyOf(couriered),
                "its partners' node releases their slots");
    }

    @Test
    void slotsReservedWhileOtherNodesDecideCountAgainstTheInitiatorsCap() {
        Session a = connect(1);
        List<java.util.concurrent.CompletableFuture<Introducer.Outcome<Session>>> pending = new ArrayList<>();
        for (int i = 11; i <= 15; i++) {
            int n = i;
            store.route = () -> new ClusterStore.Routed(new Peer("app", peer(n), at(n), List.of(), "node-2"));
            pending.add(introduce(1, a, i));
        }
        store.calls.clear();
        assertEquals(Introducer.Reason.INITIATOR_CAP, assertInstanceOf(Introducer.Refused.class,
                now(introduce(1, a, 16))).reason(), "five slots reserved");
        assertEquals(List.of(), store.calls, "refused here, without a Redis call");
        connect(2);
        assertEquals(Introducer.Reason.INITIATOR_CAP, assertInstanceOf(Introducer.Refused.class,
                now(introduce(1, a, 2))).reason(), "nor to a peer of this node");
        List<Delivery.Ask> asks = asks();
        answer(pending.get(0), asks.get(0), Delivery.Verdict.TARGET_CAP);
        assertInstanceOf(Introducer.Introduce.class, now(introduce(1, a, 2)), "a refusal gives the slot back");
        for (int i = 1; i < 5; i++) {
            assertInstanceOf(Introducer.Introduce.class, answer(pending.get(i), asks.get(i), Delivery.Verdict.NEW_PAIR));
        }
        assertEquals(Introducer.Reason.INITIATOR_CAP, assertInstanceOf(Introducer.Refused.class,
                now(introduce(1, a, 16))).reason(), "five pairs: four across nodes, one here");
    }

    @Test
    void anAskUnansweredForTwoHeartbeatsFailsAndALateAnswerIsReleased() {
        Session a = connect(1);
        store.route = () -> new ClusterStore.Routed(new Peer("app", peer(2), at(2), List.of(), "node-2"));
        var pending = introduce(1, a, 2);
        now(rv.heartbeat(List.of("127.0.0.1:1935")));
        assertFalse(pending.isDone(), "one heartbeat: still waiting");
        now(rv.heartbeat(List.of("127.0.0.1:1935")));
        assertTrue(pending.isCompletedExceptionally(), "the initiator's IHello goes unanswered; it retries");
        couriered.clear();
        Delivery.Ask ask = asks().get(0);
        inbox.accept(new Delivery.Answer(peer(1), peer(2), "node-2", ask.ask(), Delivery.Verdict.NEW_PAIR));
        assertEquals(List.of(new Sent("node-2", new Delivery.Pair(peer(2), peer(1), NODE, false))), couriered,
                "node 2 took a slot for nothing: released");
    }

    @Test
    void deliveriesFromOtherNodesReachTheSessionOrAreDroppedWhenItIsGone() {
        connect(3);
        inbox.accept(new Delivery.Forward(peer(3), new byte[] {1}, new PeerAddress(at(9), PeerAddress.Origin.OBSERVED),
                TAG));
        inbox.accept(new Delivery.Refer(peer(3), group(1), peer(4)));
        inbox.accept(new Delivery.Evict(peer(3)));
        inbox.accept(new Delivery.Refer(peer(5), group(1), peer(4)));
        assertEquals(List.of("forward to 3", "refer 3 to " + peer(4), "evict 3"), outbox);
    }

    @Test
    void whileTheStoreFailsTheNodeServesItsOwnClientsAlone() {
        store.failing = true;
        Session a = connect(1);
        Session b = connect(2);
        assertEquals(1, rv.fallbackCount(), "the first connect failed in the store and was decided locally");
        assertFalse(rv.shared(), "and the second was not even asked of the store");
        var outcome = now(rv.introduce(peer(1), a, at(1), peer(2), TAG));
        assertInstanceOf(Introducer.Introduce.class, outcome, "two clients of this node still meet");
        assertEquals(List.of(), now(rv.join(peer(1), a, group(1))));
        assertEquals(List.of(peer(1)), now(rv.join(peer(2), b, group(1))), "and group");
    }

    @Test
    void whenTheStoreComesBackTheNodePublishesItsPeersAndGroupPlacesInJoinOrder() {
        rv.onStoreState(false);
        assertFalse(rv.shared());
        long before = rv.republishCount();
        Session a = connect(1);
        Session b = connect(2);
        now(rv.join(peer(2), b, group(1)));
        now(rv.join(peer(1), a, group(1)));
        assertEquals(List.of(), store.calls, "down: nothing asked");
        rv.onStoreState(true);
        assertTrue(rv.shared());
        assertEquals(before + 1, rv.republishCount());
        List<String> calls = store.calls;
        assertEquals(6, calls.size(), calls.toString());
        assertEquals("leaveCluster " + NODE, calls.get(0), "what the store held of this node goes first");
        assertEquals("heartbeat " + NODE, calls.get(1), "alive: the store admits peers of live nodes only");
        assertTrue(calls.subList(2, 4).stream().allMatch(c -> c.startsWith("admit ")), calls.toString());
        assertEquals(List.of("join " + peer(2) + " " + group(1), "join " + peer(1) + " " + group(1)),
                calls.subList(4, 6));
    }

    @Test
    void closeAndLeaveAskTheStoreAndSendItsReferralsNotTheLocalOnes() {
        Session[] s = new Session[4];
        for (int n = 1; n <= 3; n++) {
            s[n] = connect(n);
            now(rv.join(peer(n), s[n], group(1)));
        }
        store.remove = () -> List.of(new ClusterStore.Referral("app", group(1), peer(3), NODE, peer(1)));
        store.calls.clear();
        rv.closed(peer(2), s[2]);
        assertEquals(List.of("remove " + peer(2) + " on " + NODE), store.calls);
        assertEquals(List.of("refer 3 to " + peer(1)), outbox, "the store's referral, once");
    }

    @Test
    void aFailedCallMakesTheNodeDecideAloneUntilItsNextHeartbeatPublishesWhatChanged() {
        Session a = connect(1);
        store.failing = true;
        Session b = connect(2);
        assertFalse(rv.shared(), "a failed call: this node decides alone");
        now(rv.join(peer(2), b, group(1)));
        store.failing = false;
        store.calls.clear();
        now(rv.heartbeat(List.of("127.0.0.1:1935")));
        assertTrue(rv.shared(), "published again at the heartbeat");
        assertEquals(List.of("heartbeat " + NODE, "sweep", "heartbeat " + NODE, "remove " + peer(2) + " on " + NODE,
                "admit " + peer(2) + " max " + Integer.MAX_VALUE, "join " + peer(2) + " " + group(1)), store.calls,
                "only the peer admitted alone, with its group place; peer 1 is left as it is");
        store.calls.clear();
        now(rv.heartbeat(List.of("127.0.0.1:1935")));
        assertEquals(List.of("heartbeat " + NODE, "sweep"), store.calls, "nothing left to publish");
        assertTrue(now(rv.connected("app", peer(1), at(1), a)).admitted());
    }

    @Test
    void pairsAcrossNodesOutliveAnOutageAndTheirNodesAreToldThemAgain() {
        Session t = connect(1);
        Session b = connect(2);
        for (int i = 11; i <= 14; i++) {
            askedBy(i, 1);
        }
        rv.onStoreState(false);
        assertInstanceOf(Introducer.Introduce.class, now(introduce(2, b, 1)), "alone: the fifth slot");
        Session c = connect(3);
        assertEquals(Introducer.Reason.TARGET_CAP, assertInstanceOf(Introducer.Refused.class,
                now(introduce(3, c, 1))).reason(), "the cap holds while Redis is away: the ledger is this node's");
        couriered.clear();
        rv.onStoreState(true);
        assertEquals(4, couriered.stream().filter(x -> x.delivery() instanceof Delivery.Pair p && p.paired()).count(),
                "after an outage, the partners' node is told the pairs again: " + couriered);
        couriered.clear();
        store.others.clear();
        now(rv.heartbeat(List.of("127.0.0.1:1935")));
        assertEquals(4, couriered.size(), "told again at the heartbeats after the republish, in case one was lost");
        assertEquals(Introducer.Reason.TARGET_CAP, assertInstanceOf(Introducer.Refused.class,
                now(introduce(3, c, 1))).reason(), "node 2 missing from one heartbeat's live nodes: not yet forgotten");
        now(rv.heartbeat(List.of("127.0.0.1:1935")));
        assertInstanceOf(Introducer.Introduce.class, now(introduce(3, c, 1)),
                "missing from two in a row: node 2 is gone, its clients' pairs no longer hold slots");
        for (int i = 11; i <= 14; i++) {
            inbox.accept(new Delivery.Pair(peer(1), peer(i), "node-2", true));
        }
        Session d = connect(4);
        assertEquals(Introducer.Reason.TARGET_CAP, assertInstanceOf(Introducer.Refused.class,
                now(introduce(4, d, 1))).reason(), "node 2 came back and told its pairs again: 2 here + 4 there");
        assertEquals(t, rv.local(peer(1)).orElseThrow().handle());
    }

    @Test
    void aNodeTakenForDeadWhileItsConnectionStayedUpPublishesEverythingAgain() {
        connect(1);
        store.lapsed = true;
        store.calls.clear();
        now(rv.heartbeat(List.of("127.0.0.1:1935")));
        assertTrue(rv.shared());
        assertEquals(List.of("heartbeat " + NODE, "sweep", "leaveCluster " + NODE, "heartbeat " + NODE,
                "admit " + peer(1) + " max " + Integer.MAX_VALUE), store.calls,
                "the others may have swept its peers: all of them again, as after an outage");
    }
}
