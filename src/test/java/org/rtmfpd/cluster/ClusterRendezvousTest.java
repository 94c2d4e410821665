package org.rtmfpd.cluster;

import static org.rtmfpd.rendezvous.Ids.group;
import static org.rtmfpd.rendezvous.Ids.peer;

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

    @Test
    void aTargetOnAnotherNodeGetsItsForwardedIHelloByTheCourier() {
        Session a = connect(1);
        Peer target = new Peer("app", peer(2), at(2), List.of(at(12)), "node-2");
        store.pair = () -> new ClusterStore.Paired(target, true);
        var introduce = assertInstanceOf(Introducer.Introduce.class, now(rv.introduce(peer(1), a, at(1), peer(2), TAG)));
        assertEquals(2, introduce.redirect().size(), "observed, then reported");
        assertTrue(introduce.newPair());
        rv.forward(target, new ForwardedIHello(new byte[] {1}, new PeerAddress(at(1), PeerAddress.Origin.OBSERVED),
                TAG));
        assertEquals(1, couriered.size());
        assertEquals("node-2", couriered.get(0).node());
        assertInstanceOf(Delivery.Forward.class, couriered.get(0).delivery());
        assertEquals(List.of(), outbox);
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
    void theLedgersPairsOfThisNodesPeersArePublishedAgainAfterAnOutage() {
        Session a = connect(1);
        Session b = connect(2);
        store.pair = () -> new ClusterStore.Paired(new Peer("app", peer(9), at(9), List.of(), "node-2"), true);
        assertInstanceOf(Introducer.Introduce.class, now(rv.introduce(peer(1), a, at(1), peer(9), TAG)));
        rv.onStoreState(false);
        assertInstanceOf(Introducer.Introduce.class, now(rv.introduce(peer(1), a, at(1), peer(2), TAG)),
                "made alone, while the store is away");
        Session c = connect(3);
        assertInstanceOf(Introducer.Introduce.class, now(rv.introduce(peer(3), c, at(3), peer(1), TAG)));
        rv.closed(peer(3), c);
        store.calls.clear();
        rv.onStoreState(true);
        assertEquals("restorePairs " + NODE + " 3", store.calls.get(store.calls.size() - 1),
                "1 with 9 and 2, and 2 with 1; 3 left and its pair with it: " + store.calls);
        store.calls.clear();
        now(rv.heartbeat(List.of("127.0.0.1:1935")));
        assertEquals(List.of("heartbeat " + NODE, "sweep", "restorePairs " + NODE + " 3"), store.calls,
                "once more at the next heartbeat, when the other nodes have published their peers");
        store.calls.clear();
        now(rv.heartbeat(List.of("127.0.0.1:1935")));
        assertEquals(List.of("heartbeat " + NODE, "sweep"), store.calls, "then not while the ledger's epoch stays");
        store.epoch++;
        store.calls.clear();
        now(rv.heartbeat(List.of("127.0.0.1:1935")));
        assertEquals(List.of("heartbeat " + NODE, "sweep", "restorePairs " + NODE + " 3"), store.calls,
                "another node published its state again, releasing pairs: recorded again");
        rv.closed(peer(2), b);
        store.epoch++;
        store.calls.clear();
        now(rv.heartbeat(List.of("127.0.0.1:1935")));
        assertEquals("restorePairs " + NODE + " 1", store.calls.get(2), "2 left: only 1 with 9");
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
