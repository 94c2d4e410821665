package org.rtmfpd.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtmfpd.wire.AckRanges;
import org.rtmfpd.wire.UserData;

/** What one receiving flow holds, refuses and acknowledges (RFC 7016 §3.6.3). */
class RecvFlowTest {
    private static final byte[] META = {'T', 'C', 4, 1};

    private static RecvFlow flow() {
        return new RecvFlowTable().create(5, META, -1);
    }

    private static List<byte[]> receive(RecvFlow flow, long sequenceNumber, byte[] data) {
        List<byte[]> out = new ArrayList<>();
        flow.receive(sequenceNumber, 0, UserData.FRA_WHOLE, data, out);
        return out;
    }

    private static long highestAcknowledged(AckRanges ack) {
        return ack.ranges().isEmpty() ? ack.cumulativeAck() : ack.ranges().get(ack.ranges().size() - 1).end();
    }

    @Test
    void emptyFragmentsAfterAGapAreBoundedByCount() {
        RecvFlow flow = flow();
        for (long seq = 2; seq <= 20_001; seq++) {
            receive(flow, seq, new byte[0]);
        }
        assertTrue(flow.pendingFragments() <= RecvFlow.MAX_PENDING_FRAGMENTS, flow.pendingFragments() + " buffered");
        AckRanges ack = flow.ack();
        assertEquals(0, ack.cumulativeAck());
        assertTrue(highestAcknowledged(ack) <= 1 + RecvFlow.MAX_PENDING_FRAGMENTS, ack.toString());
    }

    @Test
    void everyBufferedFragmentCostsItsOverheadInTheAdvertisedBuffer() {
        RecvFlow flow = flow();
        receive(flow, 2, new byte[0]);
        assertEquals((RecvFlow.BUFFER_LIMIT - RecvFlow.FRAGMENT_OVERHEAD) / RecvFlow.BUFFER_BLOCK,
                flow.ack().bufferBlocksAvailable(), "an empty fragment is not free");
    }

    @Test
    void sequenceNumbersBeyondTheWindowAreRefused() {
        RecvFlow flow = flow();
        receive(flow, 1 + RecvFlow.MAX_SEQUENCE_AHEAD, new byte[] {1});
        assertEquals(0, flow.pendingFragments(), "past the window");
        assertTrue(flow.ack().ranges().isEmpty());
        receive(flow, RecvFlow.MAX_SEQUENCE_AHEAD, new byte[] {1});
        assertEquals(1, flow.pendingFragments(), "the last one inside the window");
    }

    @Test
    void theNextFragmentInSequenceIsTakenEvenWhenTheBufferIsFull() {
        RecvFlow flow = flow();
        long seq = 2;
        while (true) {
            int before = flow.pendingFragments();
            receive(flow, seq, new byte[1000]);
            if (flow.pendingFragments() == before) {
                break;
            }
            seq++;
        }
        assertEquals(0, flow.ack().bufferBlocksAvailable(), "full");
        List<byte[]> delivered = receive(flow, 1, new byte[1000]);
        assertEquals(seq - 1, delivered.size(), "the gap is filled and everything buffered follows");
        assertEquals(seq - 1, flow.ack().cumulativeAck());
        assertEquals(0, flow.pendingFragments());
    }

    @Test
    void anAckListsAtMostMaxRanges() {
        RecvFlow flow = flow();
        for (long seq = 3; seq < 3 + 2 * RecvFlow.MAX_PENDING_FRAGMENTS; seq += 2) {
            receive(flow, seq, new byte[] {1});
        }
        assertEquals(RecvFlow.MAX_ACK_RANGES, flow.ack().ranges().size());
    }

    @Test
    void aPartialMessageThatOutgrowsTheSessionsAllowanceIsDroppedAndGivenBack() {
        RecvFlowTable table = new RecvFlowTable(RecvFlowTable.MAX_RECV_BUFFER, 1000);
        RecvFlow flow = table.create(5, META, -1);
        List<byte[]> out = new ArrayList<>();
        flow.receive(1, 0, UserData.FRA_BEGIN, new byte[600], out);
        assertEquals(600, table.reassemblyUsed());
        flow.receive(2, 0, UserData.FRA_END, new byte[600], out);
        assertTrue(out.isEmpty(), "dropped");
        assertEquals(0, table.reassemblyUsed());
        flow.receive(3, 0, UserData.FRA_BEGIN, new byte[400], out);
        flow.receive(4, 0, UserData.FRA_END, new byte[400], out);
        assertEquals(1, out.size(), "the next message fits");
        assertEquals(800, out.get(0).length);
        assertEquals(0, table.reassemblyUsed());
    }

    @Test
    void releaseGivesBackEverythingTheFlowHeld() {
        RecvFlowTable table = new RecvFlowTable();
        RecvFlow flow = table.create(5, META, -1);
        List<byte[]> out = new ArrayList<>();
        flow.receive(1, 0, UserData.FRA_BEGIN, new byte[100], out);
        flow.receive(3, 0, UserData.FRA_WHOLE, new byte[100], out);
        assertEquals(100 + RecvFlow.FRAGMENT_OVERHEAD, table.bufferUsed());
        assertEquals(100, table.reassemblyUsed());
        flow.release();
        assertEquals(0, table.bufferUsed());
        assertEquals(0, table.reassemblyUsed());
    }
}
