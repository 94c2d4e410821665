package org.rtmfpd.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.FlowException;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.UserData;

/** Rejected flows, the near close and listeners that throw: the session stays consistent. */
class SessionRobustnessTest {
    private static final byte[] META = {'T', 'C', 4, 0};

    private final SessionPair pair = new SessionPair(SessionSettings.DEFAULT, false);

    private static byte[] message(int first) {
        return new byte[] {(byte) first, 1, 2, 3};
    }

    private static UserData fragment(long flowId, long seq, byte[] data) {
        return new UserData(UserData.OPT | UserData.FRA_WHOLE, flowId, seq, seq,
                OptionList.of(Option.of(SendFlow.OPTION_METADATA, META)), data);
    }

    private SendFlow sendOne(byte[] message) {
        SendFlow flow = pair.initiator.openFlow(META, -1);
        flow.send(message);
        pair.initiator.flush();
        return flow;
    }

    @Test
    void rejectedFlowsDoNotUseUpTheFlowTable() {
        pair.responderEvents.rejectFlows = true;
        for (int i = 0; i < RecvFlowTable.MAX_RECV_FLOWS + 6; i++) {
            SendFlow flow = sendOne(message(i));
            pair.exchange();
            assertTrue(flow.isDone(), "flow " + i + " rejected");
        }
        pair.responderEvents.rejectFlows = false;
        sendOne(message(9));
        pair.exchange();
        assertEquals(1, pair.responderEvents.messages.size(), "a new flow is still accepted");
        assertEquals(1, pair.responder.recvFlowCount());
    }

    @Test
    void aRejectedFlowKeepsGettingItsExceptionWithoutAskingTheListenerAgain() {
        pair.responderEvents.rejectFlows = true;
        UserData first = fragment(9, 1, message(1));
        for (int i = 0; i < 3; i++) {
            pair.sendRawToResponder(List.of(first));
            List<Chunk> answer = pair.takeChunksToInitiator();
            assertTrue(answer.contains(new FlowException(9, 0)), answer.toString());
        }
        assertEquals(1, pair.responderEvents.flows.size(), "the listener was asked once");
        assertEquals(0, pair.responder.recvFlowCount());
    }

    @Test
    void nearCloseOpensNoFlowAndDeliversNothing() {
        pair.initiator.close();
        pair.toResponder.clear(); // the Close Request is lost: the far end still sends
        SendFlow flow = pair.responder.openFlow(META, -1);
        flow.send(message(1));
        pair.responder.flush();
        pair.exchange();
        assertTrue(pair.initiatorEvents.flows.isEmpty(), "no flow opened after onClosed");
        assertTrue(pair.initiatorEvents.messages.isEmpty());
    }

    @Test
    void closingWhileMessagesArriveStopsTheirDelivery() {
        pair.responderEvents.closeOnMessage = 1;
        pair.sendRawToResponder(List.of(fragment(9, 2, message(2))));
        pair.sendRawToResponder(List.of(fragment(9, 1, message(1)))); // fills the gap: 1 and 2 are due
        assertEquals(1, pair.responderEvents.messages.size(), "nothing is delivered after the close");
        assertEquals(1, pair.responderEvents.closed);
    }

    @Test
    void aListenerThatThrowsOnANewFlowLeavesNoFlowBehind() {
        pair.responderEvents.throwOnFlowOpened = true;
        SendFlow flow = sendOne(message(1));
        assertDoesNotThrow(() -> pair.exchange());
        assertTrue(flow.isDone(), "the flow is rejected");
        assertEquals(0, pair.responder.recvFlowCount());
        assertEquals(1, pair.responderEvents.failures.size());
        assertTrue(pair.responder.isOpen());

        pair.responderEvents.throwOnFlowOpened = false;
        sendOne(message(2));
        pair.exchange();
        assertEquals(1, pair.responderEvents.messages.size());
    }

    @Test
    void aListenerThatThrowsOnAMessageLosesOnlyThatMessage() {
        pair.responderEvents.throwOnMessage = 2;
        SendFlow flow = pair.initiator.openFlow(META, -1);
        flow.send(message(1));
        flow.send(message(2));
        flow.send(message(3));
        pair.initiator.flush();
        assertDoesNotThrow(() -> pair.exchange());
        assertEquals(2, pair.responderEvents.messages.size());
        assertArrayEquals(message(3), pair.responderEvents.messages.get(1));
        assertFalse(flow.hasInFlight(), "everything acknowledged");
        assertEquals(1, pair.responderEvents.failures.size());
        assertTrue(pair.responder.isOpen());
    }
}
