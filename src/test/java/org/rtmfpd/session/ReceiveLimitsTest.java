package org.rtmfpd.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtmfpd.wire.AckRanges;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.NextUserData;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.UserData;

/** What a session holds for fragments that arrive out of order, across all its receiving flows. */
class ReceiveLimitsTest {
    private static final byte[] META = {'T', 'C', 4, 1};

    private final SessionPair pair = new SessionPair(SessionSettings.DEFAULT, false);

    /** A fragment of {@code flowId} that opens it (metadata option) and leaves everything below it unsent. */
    private static UserData fragment(long flowId, long seq, byte[] data) {
        return new UserData(UserData.OPT | UserData.FRA_WHOLE, flowId, seq, seq,
                OptionList.of(Option.of(SendFlow.OPTION_METADATA, META)), data);
    }

    private AckRanges lastAckFor(long flowId) {
        AckRanges last = null;
        for (Chunk chunk : pair.takeChunksToInitiator()) {
            if (chunk instanceof AckRanges a && a.flowId() == flowId) {
                last = a;
            }
        }
        return last;
    }

    @Test
    void floodOfEmptyFragmentsAfterAGapIsRefusedPastTheFlowsBounds() {
        long flowId = 3;
        long seq = 2;
        for (int packet = 0; packet < 100; packet++) {
            List<Chunk> chunks = new ArrayList<>();
            chunks.add(fragment(flowId, seq++, new byte[0]));
            for (int i = 0; i < 200; i++, seq++) {
                chunks.add(new NextUserData(UserData.FRA_WHOLE, OptionList.EMPTY, new byte[0]));
            }
            pair.sendRawToResponder(chunks);
        }
        AckRanges ack = lastAckFor(flowId);
        assertEquals(0, ack.cumulativeAck());
        long held = ack.ranges().stream().mapToLong(r -> r.end() - r.start() + 1).sum();
        assertTrue(held <= RecvFlow.MAX_PENDING_FRAGMENTS, held + " of 20,100 empty fragments held");
        assertTrue(pair.responder.isOpen());
    }

    @Test
    void theSessionsFlowsShareOneBufferAndAdvertiseNoRoomWhenItIsFull() {
        int flows = 2 * RecvFlowTable.MAX_RECV_BUFFER / RecvFlow.BUFFER_LIMIT;
        for (long flowId = 1; flowId <= flows; flowId++) {
            for (long seq = 2; seq < 2 + RecvFlow.BUFFER_LIMIT / 1000; seq++) {
                pair.sendRawToResponder(List.of(fragment(flowId, seq, new byte[1000])));
            }
        }
        pair.toInitiator.clear();
        long fresh = flows + 1;
        pair.sendRawToResponder(List.of(fragment(fresh, 2, new byte[1000])));
        AckRanges ack = lastAckFor(fresh);
        assertEquals(0, ack.bufferBlocksAvailable(), "the session's buffer is used up by the other flows");
        assertTrue(ack.ranges().isEmpty(), "and the out-of-order fragment was not kept");

        pair.sendRawToResponder(List.of(fragment(fresh, 1, new byte[] {7})));
        assertEquals(1, pair.responderEvents.messages.size(), "data in sequence is still taken");
        assertEquals(1, lastAckFor(fresh).cumulativeAck());
    }
}
