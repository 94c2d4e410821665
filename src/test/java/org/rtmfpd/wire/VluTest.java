package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class VluTest {

    @ParameterizedTest
    @CsvSource({"00, 0", "7f, 127", "8100, 128", "8102, 130", "ff7f, 16383", "818000, 16384",
        "ffffffffffffffff7f, 9223372036854775807"})
    void readsAndWritesTheProtocolNotesExamples(String hex, long value) {
        ByteBuf in = Bytes.buf(hex);
        assertEquals(value, Vlu.read(in));
        assertEquals(0, in.readableBytes());

        ByteBuf out = Unpooled.buffer();
        Vlu.write(out, value);
        assertEquals(hex, ByteBufs.hex(ByteBufs.toArray(out)));
        assertEquals(hex.length() / 2, Vlu.size(value));
    }

    @Test
    void stopsAtTheFirstByteWithoutContinuationBit() {
        ByteBuf in = Bytes.buf("81 02 05");
        assertEquals(130, Vlu.read(in));
        assertEquals(1, in.readableBytes());
    }

    @Test
    void aVluRunningPastItsBufferThrows() {
        assertThrows(WireException.class, () -> Vlu.read(Bytes.buf("81 80")));
        assertThrows(WireException.class, () -> Vlu.read(Bytes.buf("")));
    }

    @Test
    void acceptsLeadingZeroDigits() {
        assertEquals(5, Vlu.read(Bytes.buf("80 80 05")));
    }

    @Test
    void saturatesBeyond63Bits() {
        // 2^63 needs ten digits: 81 80 80 80 80 80 80 80 80 00
        assertEquals(Long.MAX_VALUE, Vlu.read(Bytes.buf("81 80 80 80 80 80 80 80 80 00")));
        ByteBuf twenty = Unpooled.wrappedBuffer(Bytes.concat(Bytes.repeat(0xff, 19), Bytes.hex("7f")));
        assertEquals(Long.MAX_VALUE, Vlu.read(twenty));
        assertEquals(0, twenty.readableBytes());
    }

    @Test
    void readIntRefusesValuesBeyondAnInt() {
        assertEquals(Integer.MAX_VALUE, Vlu.readInt(Bytes.buf("87 ff ff ff 7f")));
        assertThrows(WireException.class, () -> Vlu.readInt(Bytes.buf("88 80 80 80 00")));
    }

    @Test
    void refusesToWriteNegativeValues() {
        assertThrows(IllegalArgumentException.class, () -> Vlu.write(Unpooled.buffer(), -1));
    }
}
