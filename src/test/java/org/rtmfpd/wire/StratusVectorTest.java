package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The captured Flash IHello to Stratus, taken apart the way the server will: SSID, checksum, packet. */
class StratusVectorTest {
    @Test
    void decryptsChecksumsAndDecodes() {
        ByteBuf datagram = Bytes.buf(SessionIdScramblerTest.STRATUS_DATAGRAM);
        assertEquals(0, SessionIdScrambler.sessionIdOf(datagram));

        byte[] ciphertext = ByteBufs.toArray(datagram.slice(4, datagram.readableBytes() - 4));
        ByteBuf plain = Unpooled.wrappedBuffer(DefaultKey.decrypt(ciphertext));
        int stored = plain.readUnsignedShort();
        assertEquals(0x0a4d, stored);
        assertEquals(stored, Checksum.of(plain, plain.readerIndex(), plain.readableBytes()));

        Packet packet = Packet.decode(plain);
        IHello hello = (IHello) packet.chunks().get(0);
        String url = new String(OptionList.parse(hello.epd()).first(0x0a).orElseThrow().value(), StandardCharsets.US_ASCII);
        assertEquals(StartupChunksTest.STRATUS_URL, url);
    }
}
