package org.rtmfpd.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.session.Session;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.RHello;

/** The client core against a small in-memory server, on simulated time, without sockets. */
class ClientCoreTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ClientIdentity ALICE = ClientIdentity.generate(RANDOM);
    private static final ClientIdentity BOB = ClientIdentity.generate(List.of(DhGroup.GROUP_14, DhGroup.GROUP_2), RANDOM);
    private static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 1935);
    private static final InetSocketAddress ALICE_AT = new InetSocketAddress("10.0.0.2", 50001);
    private static final InetSocketAddress BOB_AT = new InetSocketAddress("10.0.0.3", 50002);
    private static final URI URL = URI.create("rtmfp://10.0.0.1:1935/" + MiniServer.KEY);

    private final Loopback net = new Loopback();
    private final MiniServer server = new MiniServer(net.transmitterFor(SERVER), net.clock);

    ClientCoreTest() {
        net.attach(SERVER, server::receive, server::tick);
    }

    private static final class Recorded implements ClientListener {
        final List<PeerSession> peers = new ArrayList<>();
        final List<byte[]> members = new ArrayList<>();
        final List<InetSocketAddress> introductions = new ArrayList<>();
        int hellos;

        @Override
        public void onHelloSent(Initiator handshake, InetSocketAddress to, int attempt) {
            hellos++;
        }

        @Override
        public void onPeerSession(PeerSession peer) {
            peers.add(peer);
        }

        @Override
        public void onIntroduction(InetSocketAddress initiator) {
            introductions.add(initiator);
        }

        @Override
        public void onGroupMember(GroupMembership group, byte[] peerId) {
            members.add(peerId);
        }
    }

    private ClientCore client(ClientIdentity identity, ClientSettings settings, InetSocketAddress at, Recorded events) {
        ClientCore core = new ClientCore(identity, settings, net.transmitterFor(at), net.clock, null, RANDOM, events);
        net.attach(at, core::receive, core::tick);
        return core;
    }

    private static <T> T done(CompletableFuture<T> future) throws Exception {
        assertTrue(future.isDone(), "not completed");
        return future.get();
    }

    @Test
    void connectSucceedsWithTheDeveloperKey() throws Exception {
        ClientCore alice = client(ALICE, ClientSettings.FLASH_LIKE, ALICE_AT, new Recorded());
        CompletableFuture<Map<String, Object>> result = alice.connect(URL, SERVER);
        net.advance(100);
        Map<String, Object> info = done(result);
        assertEquals("NetConnection.Connect.Success", info.get("code"));
        assertEquals(3.0, info.get("objectEncoding"));
        assertTrue(alice.isConnected());
        assertArrayEquals(server.fingerprint(), alice.serverFingerprint());
        assertArrayEquals(ALICE.peerId(), server.sessions().get(0).farFingerprint());
    }

    @Test
    void connectWithAnUnknownKeyCompletesWithTheRejection() throws Exception {
        ClientCore alice = client(ALICE, ClientSettings.FLASH_LIKE, ALICE_AT, new Recorded());
        CompletableFuture<Map<String, Object>> result = alice.connect(URI.create("rtmfp://10.0.0.1/WRONG/"), SERVER);
        net.advance(100);
        assertEquals("NetConnection.Connect.Rejected", done(result).get("code"));
        assertFalse(alice.isConnected());
    }

    @Test
    void aRefusedNetConnectionFlowIsARejection() {
        server.refuseFlows = true;
        ClientCore alice = client(ALICE, ClientSettings.FLASH_LIKE, ALICE_AT, new Recorded());
        CompletableFuture<Map<String, Object>> result = alice.connect(URL, SERVER);
        net.advance(100);
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, result::get);
        assertEquals(RtmfpException.Reason.REJECTED, ((RtmfpException) failed.getCause()).reason());
    }

    @Test
    void hmacAndSequenceNumbersRequired() throws Exception {
        ClientCore bob = client(BOB, ClientSettings.HMAC_SSEQ_REQUIRED, BOB_AT, new Recorded());
        CompletableFuture<Map<String, Object>> result = bob.connect(URL, SERVER);
        net.advance(100);
        assertEquals("NetConnection.Connect.Success", done(result).get("code"));
        Session atServer = server.sessions().get(0);
        assertTrue(atServer.cipher().sendsSequenceNumbers() && atServer.cipher().receivesSequenceNumbers());
    }

    @Test
    void callsPingsAndErrors() throws Exception {
        ClientCore alice = client(ALICE, ClientSettings.FLASH_LIKE, ALICE_AT, new Recorded());
        alice.connect(URL, SERVER);
        net.advance(100);
        CompletableFuture<Object> echo = alice.call("echo", "hello", 2.5);
        CompletableFuture<Object> unknown = alice.call("noSuchMethod");
        CompletableFuture<Duration> rtt = alice.ping();
        net.advance(100);
        assertEquals("hello", done(echo));
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, unknown::get);
        RtmfpException cause = assertInstanceOf(RtmfpException.class, failed.getCause());
        assertEquals(RtmfpException.Reason.CALL_FAILED, cause.reason());
        assertEquals("NetConnection.Call.Failed", cause.info().get("code"));
        assertTrue(done(rtt).toMillis() >= 0);
    }

    @Test
    void lostHandshakePacketsAreRetransmitted() throws Exception {
        int[] rhellos = {0};
        net.drop = d -> {
            List<Chunk> chunks = d.to().equals(ALICE_AT) ? StartupPackets.decode(d.datagram()) : null;
            return chunks != null && !chunks.isEmpty() && chunks.get(0) instanceof RHello && rhellos[0]++ < 2;
        };
        Recorded events = new Recorded();
        ClientCore alice = client(ALICE, ClientSettings.FLASH_LIKE, ALICE_AT, events);
        CompletableFuture<Map<String, Object>> result = alice.connect(URL, SERVER);
        net.advance(3_000);
        assertFalse(result.isDone(), "two RHellos lost: the third IHello goes at 3.5 s");
        net.advance(1_000);
        assertEquals("NetConnection.Connect.Success", done(result).get("code"));
        assertEquals(3, events.hellos);
    }

    @Test
    void noServerMeansATimeoutAtTheDeadline() {
        ClientSettings settings = ClientSettings.FLASH_LIKE.withOpenTimeout(Duration.ofSeconds(3));
        ClientCore alice = client(ALICE, settings, ALICE_AT, new Recorded());
        CompletableFuture<Map<String, Object>> result = alice.connect(URL, new InetSocketAddress("10.0.0.9", 1935));
        net.advance(2_900);
        assertFalse(result.isDone());
        net.advance(200);
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, result::get);
        assertEquals(RtmfpException.Reason.TIMEOUT, ((RtmfpException) failed.getCause()).reason());
    }

    /** Alice (Flash-like) and Bob connected to the server, Alice's peer info sent. */
    private Connected aliceAndBobConnected(ClientSettings bobSettings) {
        Recorded aliceEvents = new Recorded();
        Recorded bobEvents = new Recorded();
        ClientCore alice = client(ALICE, ClientSettings.FLASH_LIKE, ALICE_AT, aliceEvents);
        ClientCore bob = client(BOB, bobSettings, BOB_AT, bobEvents);
        alice.connect(URL, SERVER);
        bob.connect(URL, SERVER);
        net.advance(100);
        alice.setPeerInfo(List.of(new InetSocketAddress("192.168.1.2", 50001)));
        net.advance(100);
        return new Connected(alice, bob, aliceEvents, bobEvents);
    }

    private record Connected(ClientCore alice, ClientCore bob, Recorded aliceEvents, Recorded bobEvents) {
    }

    @Test
    void twoClientsMeetThroughTheServer() throws Exception {
        Connected both = aliceAndBobConnected(ClientSettings.HMAC_SSEQ_REQUIRED);
        ClientCore alice = both.alice();
        ClientCore bob = both.bob();
        Recorded aliceEvents = both.aliceEvents();

        CompletableFuture<PeerSession> meeting = bob.connectToPeer(ALICE.peerId());
        net.advance(200);
        PeerSession atBob = done(meeting);
        assertArrayEquals(ALICE.peerId(), atBob.peerId());
        assertEquals(ALICE_AT, atBob.address());
        assertTrue(atBob.initiatedHere());
        assertEquals(1, server.introductions);
        assertEquals(List.of(BOB_AT), aliceEvents.introductions);
        assertEquals(1, aliceEvents.peers.size());
        PeerSession atAlice = aliceEvents.peers.get(0);
        assertArrayEquals(BOB.peerId(), atAlice.peerId());
        assertFalse(atAlice.initiatedHere());
        assertEquals(atBob.nearId(), atAlice.farId());
        assertEquals(atAlice.nearId(), atBob.farId());

        // Both sessions stay up: keepalives are answered over the direct path.
        net.advance(65_000);
        assertEquals(1, alice.peers().size());
        assertEquals(1, bob.peers().size());
        assertTrue(done(bob.connectToPeer(ALICE.peerId())) == bob.peers().get(0));
    }

    @Test
    void anIntroductionAskedForItsRedirectOnlyEndsThereAndOpensNoSession() throws Exception {
        Connected both = aliceAndBobConnected(ClientSettings.FLASH_LIKE);
        ClientCore alice = both.alice();
        ClientCore bob = both.bob();
        Recorded aliceEvents = both.aliceEvents();
        Recorded bobEvents = both.bobEvents();
        int hellosBefore = bobEvents.hellos;

        CompletableFuture<List<InetSocketAddress>> redirect = bob.requestIntroduction(ALICE.peerId());
        net.advance(200);
        assertTrue(done(redirect).contains(ALICE_AT), "the Redirect lists alice: " + done(redirect));
        assertEquals(List.of(BOB_AT), aliceEvents.introductions, "alice had the Forwarded IHello");
        assertEquals(hellosBefore + 1, bobEvents.hellos, "one IHello, to the server; none to the Redirect's addresses");
        net.advance(10_000);
        assertTrue(bob.peers().isEmpty() && alice.peers().isEmpty(), "no direct session");
        assertEquals(hellosBefore + 1, bobEvents.hellos, "nothing retransmitted");

        long toBob = net.delivered.stream().filter(d -> d.from().equals(ALICE_AT) && d.to().equals(BOB_AT)).count();
        assertEquals(1, toBob, "alice answered the first Forwarded IHello with an RHello");
        alice.answerIntroductions(false);
        bob.requestIntroduction(ALICE.peerId());
        net.advance(200);
        assertEquals(List.of(BOB_AT, BOB_AT), aliceEvents.introductions, "alice still reports the Forwarded IHello");
        assertEquals(toBob, net.delivered.stream().filter(d -> d.from().equals(ALICE_AT) && d.to().equals(BOB_AT)).count(),
                "and answers it with nothing");
    }

    @Test
    void peerThatNeverSentPeerInfoIsNotReached() {
        ClientSettings settings = ClientSettings.FLASH_LIKE.withOpenTimeout(Duration.ofSeconds(5));
        ClientCore alice = client(ALICE, settings, ALICE_AT, new Recorded());
        ClientCore bob = client(BOB, settings, BOB_AT, new Recorded());
        alice.connect(URL, SERVER);
        bob.connect(URL, SERVER);
        net.advance(100);
        CompletableFuture<PeerSession> meeting = bob.connectToPeer(ALICE.peerId());
        net.advance(5_100);
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, meeting::get);
        assertEquals(RtmfpException.Reason.TIMEOUT, ((RtmfpException) failed.getCause()).reason());
    }

    @Test
    void groupMembersArriveOnTheServersGroupFlow() throws Exception {
        Recorded bobEvents = new Recorded();
        ClientCore alice = client(ALICE, ClientSettings.FLASH_LIKE, ALICE_AT, new Recorded());
        ClientCore bob = client(BOB, ClientSettings.FLASH_LIKE, BOB_AT, bobEvents);
        alice.connect(URL, SERVER);
        bob.connect(URL, SERVER);
        net.advance(100);
        byte[] groupId = new byte[32];
        groupId[0] = 7;
        GroupMembership first = done(alice.joinGroup(groupId));
        net.advance(100);
        assertTrue(first.members().isEmpty());
        GroupMembership second = done(bob.joinGroup(groupId));
        net.advance(100);
        assertEquals(1, second.members().size());
        assertArrayEquals(ALICE.peerId(), second.members().get(0));
        assertArrayEquals(ALICE.peerId(), bobEvents.members.get(0));
    }

    @Test
    void leaveEndsTheGroupFlowAndCompletesOnTheAcknowledgement() throws Exception {
        ClientCore alice = client(ALICE, ClientSettings.FLASH_LIKE, ALICE_AT, new Recorded());
        alice.connect(URL, SERVER);
        net.advance(100);
        byte[] groupId = new byte[32];
        groupId[0] = 9;
        GroupMembership membership = done(alice.joinGroup(groupId));
        net.advance(100);
        CompletableFuture<Void> left = alice.leaveGroup(membership);
        assertFalse(left.isDone());
        net.advance(100);
        done(left);
        ExecutionException again = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> alice.leaveGroup(membership).get());
        assertTrue(again.getCause() instanceof IllegalArgumentException);
    }

    @Test
    void leaveFailsWhenTheClientClosesFirst() throws Exception {
        ClientCore alice = client(ALICE, ClientSettings.FLASH_LIKE, ALICE_AT, new Recorded());
        alice.connect(URL, SERVER);
        net.advance(100);
        byte[] groupId = new byte[32];
        groupId[0] = 10;
        GroupMembership membership = done(alice.joinGroup(groupId));
        CompletableFuture<Void> left = alice.leaveGroup(membership);
        alice.close();
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, left::get);
        assertEquals(RtmfpException.Reason.CLOSED, ((RtmfpException) failed.getCause()).reason());
    }

    @Test
    void closeSendsACloseRequestAndCompletesOnTheAcknowledgement() throws Exception {
        ClientCore alice = client(ALICE, ClientSettings.FLASH_LIKE, ALICE_AT, new Recorded());
        CompletableFuture<Map<String, Object>> connected = alice.connect(URL, SERVER);
        net.advance(100);
        done(connected);
        CompletableFuture<Void> closed = alice.close();
        assertFalse(closed.isDone());
        net.run();
        done(closed);
        assertFalse(alice.isConnected());
        assertEquals(Session.State.FAR_CLOSE_LINGER, server.sessions().get(0).state());
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> alice.ping().get());
        assertEquals(RtmfpException.Reason.CLOSED, ((RtmfpException) failed.getCause()).reason());
    }

    @Test
    void presentationAndAppName() {
        assertEquals("10.0.0.2:50001", ClientCore.presentation(ALICE_AT));
        assertEquals("[fe80:0:0:0:0:0:0:1]:1935", ClientCore.presentation(new InetSocketAddress("fe80::1%1", 1935)));
        assertEquals("DEVKEY", ClientCore.app(URI.create("rtmfp://h/DEVKEY/")));
        assertEquals("DEVKEY", ClientCore.app(URI.create("rtmfp://h:1/DEVKEY")));
        assertEquals("", ClientCore.app(URI.create("rtmfp://h")));
    }
}
