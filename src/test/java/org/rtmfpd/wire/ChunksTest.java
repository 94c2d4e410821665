package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunksTest {

    @Test
    void readsChunksInOrderAndStopsAtPadding() {
        ByteBuf body = Bytes.buf("01 00 00 | 4c 00 00 | ff ff ff | 0c 00 00");
        assertEquals(List.of(new Ping(new byte[0]), new SessionCloseAck()), Chunks.decode(body));
        assertEquals(0, body.readableBytes());
    }

    @Test
    void stopsWhenALengthRunsPastTheEnd() {
        assertEquals(List.of(new Ping(new byte[0])), Chunks.decode(Bytes.buf("01 00 00 | 0c 00 05 aa")));
    }

    @Test
    void ignoresFewerThanThreeTrailingBytes() {
        assertEquals(List.of(new SessionCloseRequest()), Chunks.decode(Bytes.buf("0c 00 00 | 01 00")));
        assertEquals(List.of(), Chunks.decode(Bytes.buf("")));
    }

    @Test
    void keepsUnknownChunksBetweenKnownOnes() {
        assertEquals(List.of(new Unknown(0xcc, Bytes.hex("01")), new SessionCloseRequest()),
                Chunks.decode(Bytes.buf("cc 00 01 01 | 0c 00 00")));
    }

    @Test
    void aMalformedChunkFailsThePacket() {
        assertThrows(WireException.class, () -> Chunks.decode(Bytes.buf("01 00 00 | 18 00 01 81")));
    }

    @Test
    void eachPayloadIsReadOnlyWithinItsLength() {
        // the buffer probe's VLU would continue into the next chunk if the payload were not sliced
        assertThrows(WireException.class, () -> Chunks.decode(Bytes.buf("18 00 01 81 | 01 00 00")));
    }

    @Test
    void encodesAListOfChunks() {
        ByteBuf out = Unpooled.buffer();
        Chunks.encode(List.of(new Ping(Bytes.hex("aa")), new BufferProbe(3)), out);
        assertArrayEquals(Bytes.hex("01 00 01 aa | 18 00 01 03"), ByteBufs.toArray(out));
    }

    @Test
    void aPayloadTooLongForItsLengthIsRefusedAndNothingIsWritten() {
        ByteBuf out = Unpooled.buffer();
        out.writeByte(0x0b);
        Ping big = new Ping(new byte[Chunk.MAX_PAYLOAD + 1]);
        assertThrows(IllegalArgumentException.class, () -> big.encode(out));
        assertEquals(1, out.writerIndex());
        new Ping(new byte[Chunk.MAX_PAYLOAD]).encode(out);
        assertEquals(1 + Chunk.HEADER_SIZE + Chunk.MAX_PAYLOAD, out.writerIndex());
    }
}
