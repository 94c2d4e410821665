package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class ChecksumTest {

    @Test
    void stratusIhelloWithItsPadding() {
        byte[] covered = Bytes.concat(Bytes.hex(PacketTest.STRATUS_IHELLO), Bytes.repeat(0xff, 5));
        assertEquals(0x0a4d, Checksum.of(Unpooled.wrappedBuffer(covered), 0, covered.length));
    }

    @Test
    void keyingExampleInSessionPing() {
        // plaintext 42ec | 891234010000 ffffffffffffffff: the checksum covers what follows it
        ByteBuf plain = Bytes.buf("42ec891234010000ffffffffffffffff");
        assertEquals(0x42ec, Checksum.of(plain, 2, plain.readableBytes() - 2));
    }

    @Test
    void honoursIndexAndLengthWithoutMovingTheBuffer() {
        ByteBuf buf = Bytes.buf("ff ff | 00 01 | 00 02 | ff");
        assertEquals(0xfffc, Checksum.of(buf, 2, 4));
        assertEquals(0, buf.readerIndex());
    }

    @Test
    void anOddLastByteIsTheLowOrderByte() {
        // 01 as low byte: sum 0x0001, complement 0xfffe (RFC 1071 proper would give 0xfeff)
        assertEquals(0xfffe, Checksum.of(Bytes.buf("01"), 0, 1));
        assertEquals(0xffff - 0x1234 - 0x0056, Checksum.of(Bytes.buf("12 34 56"), 0, 3));
    }

    @Test
    void carriesAreFoldedBackIn() {
        // ffff + 0001 = 1_0000 -> 0001 -> complement fffe
        assertEquals(0xfffe, Checksum.of(Bytes.buf("ff ff 00 01"), 0, 4));
        assertEquals(0xffff, Checksum.of(Bytes.buf(""), 0, 0));
    }
}
