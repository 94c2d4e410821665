package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionListTest {

    @Test
    void readsNetConnectionFlowOptionsUpToTheMarker() {
        // metadata "TC" 04 00, return flow association 3, marker, then user data
        ByteBuf in = Bytes.buf("05 00 54 43 04 00 | 02 0a 03 | 00 | 14");
        OptionList list = OptionList.read(in, true);
        assertEquals(List.of(Option.of(0, Bytes.hex("54 43 04 00")), Option.ofVlu(0x0a, 3)), list.options());
        assertEquals(1, in.readableBytes());
    }

    @Test
    void readsAStratusCertificateWithoutMarker() {
        byte[] cert = Bytes.concat(Bytes.hex("01 0a 41 0e"), Bytes.repeat(0x5a, 64), Bytes.hex("02 15 02 02 15 05 02 15 0e"));
        OptionList list = OptionList.parse(cert);
        assertEquals(5, list.options().size());
        assertEquals(0, list.first(0x0a).orElseThrow().length());
        assertEquals(64, list.first(0x0e).orElseThrow().length());
        assertEquals(3, list.all(0x15).size());
        assertArrayEquals(Bytes.hex("0e"), list.all(0x15).get(2).value());
        assertArrayEquals(cert, list.toBytes());
    }

    @Test
    void aMissingRequiredMarkerThrows() {
        assertThrows(WireException.class, () -> OptionList.read(Bytes.buf("02 0a 03"), true));
    }

    @Test
    void anOptionPastTheListThrows() {
        assertThrows(WireException.class, () -> OptionList.read(Bytes.buf("05 00 54 43"), false));
        assertThrows(WireException.class, () -> OptionList.read(Bytes.buf("02 81"), false));
    }

    @Test
    void writesTheMarkerOnlyWhenAsked() {
        OptionList list = OptionList.of(Option.ofVlu(0x15, 2));
        ByteBuf plain = Unpooled.buffer();
        list.write(plain);
        assertEquals("021502", ByteBufs.hex(ByteBufs.toArray(plain)));
        ByteBuf marked = Unpooled.buffer();
        list.writeWithMarker(marked);
        assertEquals("02150200", ByteBufs.hex(ByteBufs.toArray(marked)));
        assertTrue(OptionList.EMPTY.isEmpty());
    }
}
