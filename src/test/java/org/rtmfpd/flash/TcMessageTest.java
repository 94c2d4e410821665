package org.rtmfpd.flash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rtmfpd.wire.WireException;

class TcMessageTest {

    @Test
    void readsTypeTimestampAndBody() {
        TcMessage m = TcMessage.parse(Hex.bytes("04 00000000 0029 00003a98 00002710"));
        assertEquals(TcMessage.USER_CONTROL, m.type());
        assertEquals(0, m.timestamp());
        assertArrayEquals(Hex.bytes("0029 00003a98 00002710"), m.body());
    }

    @Test
    void timestampIsUnsigned32Bits() {
        TcMessage m = TcMessage.parse(Hex.bytes("09 fffffffe 17"));
        assertEquals(0xfffffffeL, m.timestamp());
        assertEquals("09fffffffe17", Hex.of(m.toBytes()));
    }

    @Test
    void headerAloneIsAnEmptyMessage() {
        assertEquals(new TcMessage(TcMessage.AUDIO, 7, new byte[0]), TcMessage.parse(Hex.bytes("08 00000007")));
    }

    @Test
    void shorterThanTheHeaderIsRejected() {
        assertThrows(WireException.class, () -> TcMessage.parse(Hex.bytes("14 000000")));
    }

    @Test
    void constructorRefusesValuesThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> new TcMessage(0x100, 0, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new TcMessage(TcMessage.VIDEO, -1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new TcMessage(TcMessage.VIDEO, 0x1_0000_0000L, new byte[0]));
    }

    @Test
    void bodyIsCopiedInAndOut() {
        byte[] body = {1, 2};
        TcMessage m = new TcMessage(TcMessage.DATA_AMF0, 0, body);
        body[0] = 9;
        m.body()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, m.body());
    }
}
