package org.rtmfpd.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.rtmfpd.wire.Packet;
import org.rtmfpd.wire.Ping;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SessionTest {
    private static final byte[] META = {'T', 'C', 4, 0};

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @ParameterizedTest(name = "hmac and sequence numbers: {0}")
    @ValueSource(booleans = {false, true})
    void messagesArriveWholeAndInOrderIncludingFragmentedOnes(boolean hmac) {
        SessionPair pair = new SessionPair(SessionSettings.DEFAULT, hmac);
        SendFlow flow = pair.initiator.openFlow(META, -1);
        byte[] small = bytes(10, 1);
        byte[] large = bytes(5000, 2);
        assertTrue(flow.send(small));
        assertTrue(flow.send(large));
        pair.initiator.flush();
        pair.exchange();
        assertEquals(2, pair.responderEvents.messages.size());
        assertArrayEquals(small, pair.responderEvents.messages.get(0));
        assertArrayEquals(large, pair.responderEvents.messages.get(1));
        assertArrayEquals(META, pair.responderEvents.flows.get(0).metadata());
        assertFalse(flow.hasInFlight(), "everything acknowledged");
    }

    @Test
    void lostPacketsAreRetransmittedAfterTheTimeout() {
        SessionPair pair = new SessionPair(SessionSettings.DEFAULT, false);
        SendFlow flow = pair.initiator.openFlow(META, -1);
        flow.send(bytes(3000, 3));
        pair.initiator.flush();
        AtomicInteger dropped = new AtomicInteger();
        pair.exchange(d -> dropped.getAndIncrement() == 1);
        assertEquals(0, pair.responderEvents.messages.size(), "a fragment was lost");
        assertTrue(flow.hasInFlight());
        // the acks gave a round-trip sample of 0 ms (the clock did not move), so ERTO is its 250 ms floor
        pair.clock.advance(RttEstimator.MIN_ERTO_MILLIS - 1);
        pair.initiator.tick();
        assertTrue(pair.toResponder.isEmpty(), "no retransmission before the timeout");
        pair.clock.advance(1);
        pair.initiator.tick();
        pair.exchange();
        assertEquals(1, pair.responderEvents.messages.size());
        assertArrayEquals(bytes(3000, 3), pair.responderEvents.messages.get(0));
        assertFalse(flow.hasInFlight());
    }

    @Test
    void pingIsAnsweredAndKeepaliveAndIdleTimeoutFollowTheClock() {
        SessionSettings settings = new SessionSettings(10_000, 30_000);
        SessionPair pair = new SessionPair(settings, false);
        pair.clock.advance(9_999);
        pair.responder.tick();
        assertTrue(pair.toInitiator.isEmpty());
        pair.clock.advance(1);
        pair.responder.tick();
        assertEquals(1, pair.toInitiator.size(), "keepalive ping after 10 s of silence");
        pair.exchange();
        assertTrue(pair.responder.isOpen());
        pair.clock.advance(29_999);
        pair.responder.tick();
        assertTrue(pair.responder.isOpen());
        pair.clock.advance(1);
        pair.responder.tick();
        assertTrue(pair.responder.isClosed(), "idle timeout after 30 s with nothing received");
        assertEquals(1, pair.responderEvents.closed);
    }

    @Test
    void closeHandshakeBothWays() {
        SessionPair pair = new SessionPair(SessionSettings.DEFAULT, true);
        pair.initiator.close();
        assertEquals(Session.State.NEAR_CLOSE, pair.initiator.state());
        pair.exchange();
        assertTrue(pair.initiator.isClosed(), "close acknowledged");
        assertEquals(Session.State.FAR_CLOSE_LINGER, pair.responder.state());
        assertEquals(1, pair.responderEvents.closed);
        pair.clock.advance(Session.FAR_CLOSE_LINGER_MILLIS);
        pair.responder.tick();
        assertTrue(pair.responder.isClosed());
    }

    @Test
    void unansweredCloseGivesUpAfter90Seconds() {
        SessionPair pair = new SessionPair(SessionSettings.DEFAULT, false);
        pair.initiator.close();
        pair.toResponder.clear();
        pair.clock.advance(Session.CLOSE_REPEAT_MILLIS);
        pair.initiator.tick();
        assertEquals(1, pair.toResponder.size(), "close request repeated");
        pair.clock.advance(Session.CLOSE_LIMIT_MILLIS);
        pair.initiator.tick();
        assertTrue(pair.initiator.isClosed());
    }

    @Test
    void rejectedFlowGetsAFlowExceptionAndTheSenderStops() {
        SessionPair pair = new SessionPair(SessionSettings.DEFAULT, false);
        pair.responderEvents.rejectFlows = true;
        SendFlow flow = pair.initiator.openFlow(META, -1);
        flow.send(bytes(10, 4));
        pair.initiator.flush();
        pair.exchange();
        assertTrue(pair.responderEvents.messages.isEmpty());
        assertTrue(flow.isDone(), "flow failed by the far end's exception");
        assertFalse(flow.send(bytes(1, 1)));
    }

    @Test
    void flowWithoutMetadataOrWithUnknownAssociationIsRejected() {
        SessionPair pair = new SessionPair(SessionSettings.DEFAULT, false);
        SendFlow flow = pair.initiator.openFlow(META, 77);
        flow.send(bytes(10, 4));
        pair.initiator.flush();
        pair.exchange();
        assertTrue(pair.responderEvents.flows.isEmpty(), "association to a flow the responder never opened");
        assertTrue(flow.isDone());
    }

    @Test
    void addressChangeOnlyAfterTheProbeIsAnswered() {
        SessionPair pair = new SessionPair(SessionSettings.DEFAULT, false);
        InetSocketAddress moved = new InetSocketAddress("127.0.0.2", 40001);
        SendFlow flow = pair.initiator.openFlow(META, -1);
        flow.send(bytes(10, 5));
        pair.initiator.flush();
        byte[] datagram = pair.toResponder.poll();
        pair.responder.receive(Datagrams.decode(datagram, pair.responder.cipher()), moved);
        assertEquals(SessionPair.INITIATOR_ADDRESS, pair.responder.farAddress(), "not switched before the probe");
        assertEquals(1, pair.responderEvents.messages.size(), "data from the new address is still taken");
        byte[] probe = pair.toInitiator.poll();
        pair.initiator.receive(Datagrams.decode(probe, pair.initiator.cipher()), SessionPair.RESPONDER_ADDRESS);
        byte[] reply = pair.toResponder.poll();
        pair.responder.receive(Datagrams.decode(reply, pair.responder.cipher()), SessionPair.INITIATOR_ADDRESS);
        assertEquals(SessionPair.INITIATOR_ADDRESS, pair.responder.farAddress(), "reply from elsewhere does not count");
        pair.responder.receive(Datagrams.decode(reply, pair.responder.cipher()), moved);
        assertEquals(moved, pair.responder.farAddress());
        assertEquals(1, pair.responderEvents.addressChanges);
    }

    @Test
    void replayedDatagramIsDroppedWhenSequenceNumbersAreInUse() {
        SessionPair pair = new SessionPair(SessionSettings.DEFAULT, true);
        pair.initiator.ping(new byte[] {1});
        pair.initiator.flush();
        byte[] datagram = pair.toResponder.peek();
        pair.exchange();
        assertFalse(pair.responder.receive(Datagrams.decode(datagram, pair.responder.cipher()),
                SessionPair.INITIATOR_ADDRESS));
    }

    @Test
    void packetInTheWrongModeIsDropped() {
        SessionPair pair = new SessionPair(SessionSettings.DEFAULT, false);
        Packet looped = new Packet(Packet.MODE_INITIATOR | Packet.TS, 0, Packet.ABSENT, List.of(new Ping(new byte[] {1})));
        byte[] datagram = Datagrams.encode(pair.initiator.nearId(), pair.responder.cipher(), 0, looped);
        assertFalse(pair.initiator.receive(Datagrams.decode(datagram, pair.initiator.cipher()),
                SessionPair.RESPONDER_ADDRESS), "an initiator-mode packet sent to an initiator");
        assertTrue(pair.toResponder.isEmpty(), "and nothing answered");
    }

    @Test
    void aServerSessionGivesAVanishedClientUpAfterThreeOfItsKeepalivePeriods() {
        SessionPair pair = new SessionPair(SessionSettings.forServer(15_000), false);
        pair.clock.advance(29_999);
        pair.responder.tick();
        assertTrue(pair.toInitiator.isEmpty(), "no ping within two periods");
        pair.clock.advance(1);
        pair.responder.tick();
        assertEquals(1, pair.toInitiator.size(), "a ping after two periods of silence");
        pair.clock.advance(5_000);
        pair.responder.tick();
        pair.clock.advance(5_000);
        pair.responder.tick();
        assertEquals(3, pair.toInitiator.size(), "three pings in the third period");
        pair.clock.advance(4_999);
        pair.responder.tick();
        assertTrue(pair.responder.isOpen());
        pair.clock.advance(1);
        pair.responder.tick();
        assertTrue(pair.responder.isClosed(), "given up after 45 s with nothing received");
    }

    @Test
    void aServerSessionKeepsAClientThatAnswersItsPings() {
        SessionPair pair = new SessionPair(SessionSettings.forServer(15_000), false);
        for (int i = 0; i < 20; i++) {
            pair.clock.advance(5_000);
            pair.responder.tick();
            pair.exchange();
        }
        assertTrue(pair.responder.isOpen(), "100 s on, answering every ping");
    }
}
