package org.rtmfpd.flash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.rtmfpd.wire.WireException;

class PeerIdTest {
    /** rtmfp-protocol.md §7 C: the peer ID of the example client certificate. */
    private static final String HEX = "a548dca137d207fad778b3ff1920ada833baf45a2e8ba7aca992ff24a6a4f9eb";

    @Test
    void hexRoundTripsInLowerCase() {
        PeerId id = PeerId.fromHex(HEX.toUpperCase());
        assertEquals(HEX, id.toString());
        assertArrayEquals(Hex.bytes(HEX), id.bytes());
    }

    @Test
    void equalByContent() {
        assertEquals(PeerId.of(Hex.bytes(HEX)), PeerId.fromHex(HEX));
        assertEquals(PeerId.of(Hex.bytes(HEX)).hashCode(), PeerId.fromHex(HEX).hashCode());
        assertNotEquals(PeerId.fromHex(HEX), PeerId.fromHex("00" + HEX.substring(2)));
    }

    @Test
    void bytesAreCopied() {
        byte[] raw = Hex.bytes(HEX);
        PeerId id = PeerId.of(raw);
        raw[0] = 0;
        id.bytes()[1] = 0;
        assertEquals(HEX, id.toString());
    }

    @Test
    void wrongLengthsAndDigitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PeerId.of(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> PeerId.fromHex(HEX.substring(2)));
        assertThrows(IllegalArgumentException.class, () -> PeerId.fromHex("zz" + HEX.substring(2)));
        assertThrows(WireException.class, () -> PeerId.read(Unpooled.wrappedBuffer(new byte[31])));
    }

    @Test
    void readsAndWrites32Bytes() {
        PeerId id = PeerId.read(Hex.buf(HEX + "ff"));
        var out = Unpooled.buffer();
        id.write(out);
        assertEquals(HEX, Hex.of(org.rtmfpd.wire.ByteBufs.toArray(out)));
    }
}
