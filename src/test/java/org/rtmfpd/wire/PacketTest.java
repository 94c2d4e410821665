package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketTest {
    /** The plaintext of a real Flash Player IHello to Stratus, after the checksum and before padding. */
    static final String STRATUS_IHELLO = "0b826030005342410a72746d66703a2f2f737472617475732e61646f62652e636f6d2f"
            + "3935366430303935626339343136323462323064623737662d3736336163346634363238392f"
            + "7d1c42fb551bb4e78f34b6c4a011ccbd";

    @Test
    void stratusIhelloIsAStartupPacketWithATimestamp() {
        ByteBuf in = Unpooled.wrappedBuffer(Bytes.concat(Bytes.hex(STRATUS_IHELLO), Bytes.repeat(0xff, 5)));
        Packet packet = Packet.decode(in);
        assertEquals(0x0b, packet.flags());
        assertEquals(Packet.MODE_STARTUP, packet.mode());
        assertEquals(0x8260, packet.timestamp());
        assertEquals(Packet.ABSENT, packet.timestampEcho());
        assertEquals(1, packet.chunks().size());
        assertInstanceOf(IHello.class, packet.chunks().get(0));
        assertEquals(0, in.readableBytes());
        assertArrayEquals(Bytes.hex(STRATUS_IHELLO), encode(packet));
    }

    @Test
    void inSessionPingWithTimeCriticalFlag() {
        Packet packet = Packet.decode(Bytes.buf("89 1234 | 01 0000 | ffffffffffffffff"));
        assertEquals(new Packet(Packet.TC | Packet.TS | Packet.MODE_INITIATOR, 0x1234, Packet.ABSENT,
                List.of(new Ping(new byte[0]))), packet);
        assertEquals(Packet.MODE_INITIATOR, packet.mode());
    }

    @Test
    void responderPacketWithTimestampAndEcho() {
        Packet packet = Packet.decode(Bytes.buf("4e 0001 fffe | 4c 0000"));
        assertEquals(0x0001, packet.timestamp());
        assertEquals(0xfffe, packet.timestampEcho());
        assertEquals(Packet.MODE_RESPONDER, packet.mode());
        assertArrayEquals(Bytes.hex("4e 0001 fffe | 4c 0000"), encode(packet));
    }

    @Test
    void echoWithoutTimestamp() {
        Packet packet = Packet.decode(Bytes.buf("06 0102"));
        assertEquals(Packet.ABSENT, packet.timestamp());
        assertEquals(0x0102, packet.timestampEcho());
        assertEquals(List.of(), packet.chunks());
    }

    @Test
    void modeZeroIsRefused() {
        assertThrows(WireException.class, () -> Packet.decode(Bytes.buf("08 0000 | 01 0000")));
        assertThrows(IllegalArgumentException.class,
                () -> new Packet(0x08, 0, Packet.ABSENT, List.of()));
    }

    @Test
    void missingHeaderBytesThrow() {
        assertThrows(WireException.class, () -> Packet.decode(Bytes.buf("")));
        assertThrows(WireException.class, () -> Packet.decode(Bytes.buf("0b 82")));
        assertThrows(WireException.class, () -> Packet.decode(Bytes.buf("0f 8260 00")));
    }

    @Test
    void timestampsMustMatchTheirFlags() {
        assertThrows(IllegalArgumentException.class, () -> new Packet(0x0b, Packet.ABSENT, Packet.ABSENT, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Packet(0x03, 5, Packet.ABSENT, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Packet(0x0b, 0x10000, Packet.ABSENT, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Packet(0x07, Packet.ABSENT, Packet.ABSENT, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Packet(0x103, Packet.ABSENT, Packet.ABSENT, List.of()));
    }

    static byte[] encode(Packet packet) {
        ByteBuf out = Unpooled.buffer();
        packet.encode(out);
        return ByteBufs.toArray(out);
    }
}
