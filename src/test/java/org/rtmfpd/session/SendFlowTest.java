package org.rtmfpd.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtmfpd.wire.UserData;

class SendFlowTest {
    private static final byte[] NET_CONNECTION = {'T', 'C', 4, 0};

    @Test
    void returnFlowCarriesMetadataAndAssociationAsTheBriefShows() {
        SendFlow flow = new SendFlow(2, NET_CONNECTION, 3, new ByteBudget(Session.MAX_SEND_QUEUE));
        flow.send(new byte[] {0x14});
        UserData chunk = flow.chunk(flow.nextUnsent());
        ByteBuf options = Unpooled.buffer();
        chunk.options().writeWithMarker(options);
        assertEquals("05005443040002" + "0a0300", ByteBufUtil.hexDump(options));
        assertEquals(1, chunk.sequenceNumber());
        assertEquals(1, chunk.fsnOffset(), "first message: sequence 1, FSN 0");
        assertEquals(UserData.OPT, chunk.flags() & UserData.OPT);
    }

    @Test
    void optionsStopOnceTheFlowIsAcknowledgedAndFragmentsNumberOnward() {
        SendFlow flow = new SendFlow(1, NET_CONNECTION, -1, new ByteBudget(Session.MAX_SEND_QUEUE));
        flow.send(new byte[SendFlow.MAX_FRAGMENT * 2 + 1]);
        SendFlow.Fragment first = flow.nextUnsent();
        assertEquals(UserData.FRA_BEGIN, first.flags);
        flow.acknowledge(64, 1, List.of());
        SendFlow.Fragment second = flow.nextUnsent();
        UserData chunk = flow.chunk(second);
        assertNull(flow.optionsToSend());
        assertEquals(0, chunk.flags() & UserData.OPT);
        assertEquals(UserData.FRA_MIDDLE, chunk.fragmentation());
        assertEquals(2, chunk.sequenceNumber());
        assertEquals(1, chunk.forwardSequenceNumber(), "everything up to 1 is acknowledged");
        assertEquals(UserData.FRA_END, flow.nextUnsent().flags);
    }

    @Test
    void closeSendsFinAndTheFlowIsDoneWhenEverythingIsAcknowledged() {
        SendFlow flow = new SendFlow(1, NET_CONNECTION, -1, new ByteBudget(Session.MAX_SEND_QUEUE));
        flow.send(new byte[] {1});
        flow.close();
        assertFalse(flow.send(new byte[] {2}), "no messages after close");
        flow.nextUnsent();
        SendFlow.Fragment fin = flow.nextUnsent();
        assertEquals(UserData.FIN, fin.flags & UserData.FIN);
        assertFalse(flow.isDone());
        flow.acknowledge(64, 2, List.of());
        assertTrue(flow.isDone());
    }

    @Test
    void queuedBytesComeFromTheSessionsAllowanceAndGoBackWhenAcknowledgedOrFailed() {
        ByteBudget queue = new ByteBudget(Session.MAX_SEND_QUEUE);
        SendFlow flow = new SendFlow(1, NET_CONNECTION, -1, queue);
        SendFlow other = new SendFlow(3, NET_CONNECTION, -1, queue);
        assertTrue(flow.send(new byte[3000]));
        assertTrue(other.send(new byte[500]));
        assertEquals(3500, queue.used());
        flow.nextUnsent();
        flow.nextUnsent();
        flow.requeueInFlight();
        flow.nextUnsent();
        assertEquals(SendFlow.MAX_FRAGMENT, flow.acknowledge(64, 2, List.of()), "bytes in flight acknowledged");
        assertEquals(3500 - 2 * SendFlow.MAX_FRAGMENT, queue.used(), "the requeued fragment 2 counts too");
        flow.fail();
        other.fail();
        assertEquals(0, queue.used());
    }

    @Test
    void nothingGoesInFlightPastTheAdvertisedBufferButOneFragmentWhenNothingIs() {
        SendFlow flow = new SendFlow(1, NET_CONNECTION, -1, new ByteBudget(Session.MAX_SEND_QUEUE));
        flow.send(new byte[5 * SendFlow.MAX_FRAGMENT]);
        assertTrue(flow.fitsReceiverBuffer(SendFlow.MAX_FRAGMENT), "64 KiB assumed before the first ack");
        flow.nextUnsent();
        flow.acknowledge(1, 1, List.of());
        assertTrue(flow.fitsReceiverBuffer(SendFlow.MAX_FRAGMENT), "1 KiB advertised, nothing in flight");
        flow.nextUnsent();
        assertFalse(flow.fitsReceiverBuffer(SendFlow.MAX_FRAGMENT));
        flow.acknowledge(0, 2, List.of());
        assertFalse(flow.fitsReceiverBuffer(1), "no room advertised");
        assertTrue(flow.waitsForBuffer());
    }
}
