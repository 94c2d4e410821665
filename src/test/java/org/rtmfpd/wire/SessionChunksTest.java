package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rtmfpd.wire.StartupChunksTest.decodeOne;

import org.junit.jupiter.api.Test;

class SessionChunksTest {

    @Test
    void emptyPingIsAKeepalive() {
        Ping ping = (Ping) decodeOne(Bytes.hex("01 00 00"));
        assertArrayEquals(new byte[0], ping.body());
    }

    @Test
    void pingReplyEchoesTheBodyUnchanged() {
        Ping ping = (Ping) decodeOne(Bytes.hex("01 00 04 4d 01 02 03"));
        PingReply reply = ping.reply();
        assertArrayEquals(Bytes.hex("41 00 04 4d 01 02 03"), Bytes.encode(reply));
        assertEquals(reply, decodeOne(Bytes.hex("41 00 04 4d 01 02 03")));
    }

    @Test
    void sessionCloseRequestAndAcknowledgement() {
        assertEquals(new SessionCloseRequest(), decodeOne(Bytes.hex("0c 00 00")));
        assertEquals(new SessionCloseAck(), decodeOne(Bytes.hex("4c 00 00")));
    }

    @Test
    void bufferProbe() {
        assertEquals(new BufferProbe(130), decodeOne(Bytes.hex("18 00 02 81 02")));
        assertThrows(WireException.class, () -> BufferProbe.decode(Bytes.buf("")));
        assertThrows(WireException.class, () -> BufferProbe.decode(Bytes.buf("81")));
    }

    @Test
    void flowException() {
        assertEquals(new FlowException(5, 0), decodeOne(Bytes.hex("5e 00 02 05 00")));
        assertThrows(WireException.class, () -> FlowException.decode(Bytes.buf("05")));
    }

    @Test
    void fixedFormatChunksIgnoreTrailingBytes() {
        assertEquals(new BufferProbe(5), BufferProbe.decode(Bytes.buf("05 aa")));
        assertEquals(new FlowException(5, 1), FlowException.decode(Bytes.buf("05 01 aa")));
        assertEquals(new SessionCloseRequest(), SessionCloseRequest.decode(Bytes.buf("aa")));
        assertEquals(new SessionCloseAck(), SessionCloseAck.decode(Bytes.buf("aa")));
    }

    @Test
    void undocumentedFlashChunksAndFragmentsStayUnknown() {
        Unknown closeReason = (Unknown) decodeOne(Bytes.hex("4d 00 02 aa bb"));
        assertEquals(0x4d, closeReason.type());
        assertArrayEquals(Bytes.hex("aa bb"), closeReason.payload());
        assertEquals(new Unknown(Unknown.FRAGMENT, Bytes.hex("80 01 00 30")), decodeOne(Bytes.hex("7f 00 04 80 01 00 30")));
        assertEquals(new Unknown(0x00, new byte[0]), decodeOne(Bytes.hex("00 00 00")));
    }

    @Test
    void unknownRefusesTypesThatWouldNotReadBackAsUnknown() {
        assertThrows(IllegalArgumentException.class, () -> new Unknown(IHello.TYPE, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new Unknown(Chunks.PADDING, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new Unknown(0x100, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new Unknown(-1, new byte[0]));
    }
}
