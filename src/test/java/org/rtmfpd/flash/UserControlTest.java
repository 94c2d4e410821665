package org.rtmfpd.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rtmfpd.wire.WireException;

class UserControlTest {
    /** rtmfp-protocol.md §7 D: Set Keepalive 15 s / 10 s. */
    private static final String KEEPALIVE_15_10 = "04 00000000 0029 00003a98 00002710";

    private static UserControlEvent event(String message) {
        return UserControlEvent.from(TcMessage.parse(Hex.bytes(message)));
    }

    @Test
    void setKeepaliveTimersEncodesTheVector() {
        TcMessage m = new KeepaliveTimers(15_000, 10_000).toEvent().toMessage();
        assertEquals(Hex.of(Hex.bytes(KEEPALIVE_15_10)), Hex.of(m.toBytes()));
    }

    @Test
    void setKeepaliveTimersDecodesTheVector() {
        assertEquals(new KeepaliveTimers(15_000, 10_000), KeepaliveTimers.from(event(KEEPALIVE_15_10)));
    }

    @Test
    void keepalivePeriodsAreRaisedToFiveSeconds() {
        KeepaliveTimers built = new KeepaliveTimers(1000, 4999);
        assertEquals(5000, built.serverMs());
        assertEquals(5000, built.peerMs());
        assertEquals("04000000000029" + "00001388" + "00001388", Hex.of(built.toEvent().toMessage().toBytes()));

        KeepaliveTimers read = KeepaliveTimers.from(event("04 00000000 0029 000003e8 00001389"));
        assertEquals(5000, read.serverMs());
        assertEquals(5001, read.peerMs());
    }

    @Test
    void flowSyncRoundTrips() {
        String wire = "04 00000000 0022 00000007 fffffff0";
        FlowSync sync = FlowSync.from(event(wire));
        assertEquals(new FlowSync(7, 0xfffffff0L), sync);
        assertEquals(Hex.of(Hex.bytes(wire)), Hex.of(sync.toEvent().toMessage().toBytes()));
    }

    @Test
    void streamBeginCarriesTheStreamId() {
        assertEquals("04000000000000" + "00000005", Hex.of(UserControlEvent.streamBegin(5).toMessage().toBytes()));
    }

    @Test
    void setBufferLengthFromAClient() {
        assertEquals(new SetBufferLength(1, 3000), SetBufferLength.from(event("04 00000000 0003 00000001 00000bb8")));
    }

    @Test
    void wrongEventShortDataAndWrongMessageAreRejected() {
        assertThrows(WireException.class, () -> KeepaliveTimers.from(event("04 00000000 0022 00000001 00000002")));
        assertThrows(WireException.class, () -> KeepaliveTimers.from(event("04 00000000 0029 00003a98 000027")));
        assertThrows(WireException.class, () -> FlowSync.from(event("04 00000000 0022")));
        assertThrows(WireException.class, () -> event("04 00000000 00"));
        assertThrows(WireException.class, () -> event("14 00000000 0029 00003a98 00002710"));
    }
}
