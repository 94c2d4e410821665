package org.rtmfpd.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtmfpd.wire.AckRanges;
import org.rtmfpd.wire.BufferProbe;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.Ping;
import org.rtmfpd.wire.UserData;

/**
 * The sender's side of flow control (RFC 7016 §3.6.2.5): the receiver's advertised buffer, the Buffer
 * Probe when it is zero, what may be queued, and the session that makes no progress.
 */
class FlowControlTest {
    private static final byte[] META = {'T', 'C', 4, 0};

    private final SessionPair pair = new SessionPair(SessionSettings.DEFAULT, false);

    private static int dataBytes(List<Chunk> chunks) {
        return chunks.stream().filter(c -> c instanceof UserData).mapToInt(c -> ((UserData) c).data().length).sum();
    }

    private static long probes(List<Chunk> chunks, long flowId) {
        return chunks.stream().filter(c -> c instanceof BufferProbe p && p.flowId() == flowId).count();
    }

    /** Sends a long message; the first window's worth goes out and is acknowledged with {@code blocks} free. */
    private SendFlow sendAndAcknowledgeFirstFragments(long blocks) {
        SendFlow flow = pair.initiator.openFlow(META, -1);
        flow.send(new byte[20_000]);
        pair.initiator.flush();
        long sent = pair.takeChunksToResponder().stream().filter(c -> c instanceof UserData).count();
        assertTrue(sent > 0);
        pair.sendRawToInitiator(List.of(new AckRanges(flow.flowId(), blocks, sent, List.of())));
        return flow;
    }

    @Test
    void nothingIsSentWhileTheReceiverAdvertisesNoBuffer() {
        sendAndAcknowledgeFirstFragments(0);
        assertEquals(0, dataBytes(pair.takeChunksToResponder()));
    }

    @Test
    void noMoreIsInFlightThanTheReceiverAdvertised() {
        SendFlow flow = sendAndAcknowledgeFirstFragments(2);
        int sent = dataBytes(pair.takeChunksToResponder());
        assertTrue(sent > 0 && sent <= 2 * RecvFlow.BUFFER_BLOCK, sent + " bytes in flight");
        assertTrue(flow.hasInFlight());
    }

    @Test
    void aZeroBufferIsProbedOnATimerUntilItOpens() {
        SendFlow flow = sendAndAcknowledgeFirstFragments(0);
        pair.takeChunksToResponder();
        pair.clock.advance(SendTimers.PERSIST_INITIAL_MILLIS - 1);
        pair.initiator.tick();
        assertEquals(0, probes(pair.takeChunksToResponder(), flow.flowId()), "not yet");
        pair.clock.advance(RttEstimator.INITIAL_ERTO_MILLIS);
        pair.initiator.tick();
        List<Chunk> sent = pair.takeChunksToResponder();
        assertEquals(1, probes(sent, flow.flowId()));
        assertEquals(0, dataBytes(sent), "a probe, not data");

        pair.sendRawToInitiator(List.of(new AckRanges(flow.flowId(), 64, 3, List.of())));
        assertTrue(dataBytes(pair.takeChunksToResponder()) > 0, "sending resumes when the buffer opens");
    }

    @Test
    void aSessionWhoseDataMakesNoProgressIsClosedAfterTheStallLimit() {
        SendFlow flow = sendAndAcknowledgeFirstFragments(0);
        long last = pair.clock.now;
        while (pair.clock.now - last < SendTimers.STALL_LIMIT_MILLIS - 1_000) {
            pair.clock.advance(1_000);
            pair.initiator.tick();
            // the far end answers every probe, so the session is not idle, but its buffer stays full
            if (probes(pair.takeChunksToResponder(), flow.flowId()) > 0) {
                pair.sendRawToInitiator(List.of(new AckRanges(flow.flowId(), 0, 3, List.of())));
            }
        }
        assertTrue(pair.initiator.isOpen());
        pair.clock.advance(1_000);
        pair.initiator.tick();
        assertFalse(pair.initiator.isOpen(), "stalled for " + SendTimers.STALL_LIMIT_MILLIS + " ms");
        assertEquals(1, pair.initiatorEvents.closed);
    }

    @Test
    void dataThatIsNeverAcknowledgedClosesTheSessionEvenIfTheFarEndPings() {
        SendFlow flow = pair.initiator.openFlow(META, -1);
        flow.send(new byte[100]);
        pair.initiator.flush();
        long start = pair.clock.now;
        while (pair.clock.now - start < SendTimers.STALL_LIMIT_MILLIS - 1_000) {
            pair.clock.advance(1_000);
            pair.initiator.tick();
            pair.toResponder.clear();
            pair.sendRawToInitiator(List.of(new Ping(new byte[0])));
        }
        assertTrue(pair.initiator.isOpen());
        pair.clock.advance(1_000);
        pair.initiator.tick();
        assertFalse(pair.initiator.isOpen());
    }

    @Test
    void aFlowQueuesAtMostItsLimit() {
        SendFlow flow = pair.initiator.openFlow(META, -1);
        int accepted = 0;
        while (flow.send(new byte[SendFlow.MAX_FRAGMENT]) && accepted < 10_000) {
            accepted++;
        }
        assertTrue((long) accepted * SendFlow.MAX_FRAGMENT <= SendFlow.MAX_QUEUED_BYTES, accepted + " fragments");
        int small = 0;
        SendFlow other = pair.initiator.openFlow(META, -1);
        while (other.send(new byte[1]) && small < 10_000) {
            small++;
        }
        assertEquals(SendFlow.MAX_QUEUED_FRAGMENTS, small);
    }

    @Test
    void aSessionQueuesAtMostItsLimitAcrossFlowsAndAcknowledgementsFreeIt() {
        long accepted = 0;
        for (int i = 0; i < 8; i++) {
            SendFlow flow = pair.initiator.openFlow(META, -1);
            while (accepted <= 2L * Session.MAX_SEND_QUEUE && flow.send(new byte[SendFlow.MAX_FRAGMENT])) {
                accepted += SendFlow.MAX_FRAGMENT;
            }
        }
        assertTrue(accepted <= Session.MAX_SEND_QUEUE, accepted + " bytes queued");
        pair.initiator.flush();
        pair.exchange();
        for (int i = 0; i < 100 && pair.initiator.hasRetransmissionTimer(); i++) {
            pair.initiator.flush();
            pair.exchange();
        }
        assertTrue(pair.initiator.openFlow(META, -1).send(new byte[SendFlow.MAX_FRAGMENT]),
                "delivered data no longer counts");
    }

    @Test
    void theFlowsOfAClosingSessionRefuseMessages() {
        SendFlow open = pair.initiator.openFlow(META, -1);
        assertTrue(open.send(new byte[10]));
        pair.initiator.close();
        assertFalse(open.send(new byte[10]), "its flows ended with the session");
        assertFalse(pair.initiator.openFlow(META, -1).send(new byte[10]), "and new ones take nothing");
    }
}
