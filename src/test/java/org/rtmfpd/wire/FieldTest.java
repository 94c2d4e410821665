package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class FieldTest {

    @Test
    void readsALengthAndThatManyBytes() {
        ByteBuf in = Bytes.buf("03 aa bb cc dd");
        assertArrayEquals(Bytes.hex("aa bb cc"), Field.read(in));
        assertEquals(1, in.readableBytes());
    }

    @Test
    void writesWhatItReads() {
        ByteBuf out = Unpooled.buffer();
        Field.write(out, Bytes.repeat(7, 130));
        assertEquals(2 + 130, out.readableBytes());
        assertEquals(132, Field.size(Bytes.repeat(7, 130)));
        assertArrayEquals(Bytes.repeat(7, 130), Field.read(out));
    }

    @Test
    void aLengthPastTheBufferThrowsWithoutAllocatingIt() {
        assertThrows(WireException.class, () -> Field.read(Bytes.buf("04 aa bb cc")));
        // 2^31 - 1 and 2^31: neither may be allocated
        assertThrows(WireException.class, () -> Field.read(Bytes.buf("87 ff ff ff 7f aa")));
        assertThrows(WireException.class, () -> Field.read(Bytes.buf("88 80 80 80 00 aa")));
    }
}
