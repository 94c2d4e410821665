package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rtmfpd.testing.Generators.forAll;
import static org.rtmfpd.testing.Generators.intBetween;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtmfpd.testing.Generators;

/** Every value the wire layer can encode decodes back to itself. */
class RoundTripPropertyTest {

    @Test
    void everyChunkDecodesToItself() {
        forAll(2000, r -> {
            Chunk chunk = WireGenerators.chunk(r);
            byte[] encoded = Bytes.encode(chunk);
            byte[] payload = Bytes.payload(chunk);
            assertEquals(Chunk.HEADER_SIZE + payload.length, encoded.length);
            assertEquals(chunk.type(), encoded[0] & 0xff);
            assertEquals(payload.length, ((encoded[1] & 0xff) << 8) | (encoded[2] & 0xff));

            List<Chunk> decoded = Chunks.decode(Unpooled.wrappedBuffer(encoded));
            assertEquals(List.of(chunk), decoded);
            assertEquals(chunk.hashCode(), decoded.get(0).hashCode());
            assertEquals(chunk, Chunks.decodePayload(chunk.type(), Unpooled.wrappedBuffer(payload)));
        });
    }

    @Test
    void chunkListsSurviveTrailingPadding() {
        forAll(1000, r -> {
            List<Chunk> chunks = WireGenerators.chunkList(r, 5);
            int padding = intBetween(r, 0, 15);
            ByteBuf buf = Unpooled.buffer();
            Chunks.encode(chunks, buf);
            buf.writeBytes(Bytes.repeat(0xff, padding));
            assertEquals(chunks, Chunks.decode(buf));
            assertEquals(0, buf.readableBytes());
        });
    }

    @Test
    void everyPacketDecodesToItself() {
        forAll(1000, r -> {
            Packet packet = WireGenerators.packet(r);
            int padding = intBetween(r, 0, 15);
            byte[] encoded = WireGenerators.encode(packet);
            ByteBuf in = Unpooled.wrappedBuffer(Bytes.concat(encoded, Bytes.repeat(0xff, padding)));
            Packet decoded = Packet.decode(in);
            assertEquals(packet, decoded);
            assertEquals(packet.mode(), decoded.mode());
            assertArrayEquals(encoded, WireGenerators.encode(decoded));
        });
    }

    @Test
    void everyVluDecodesToItself() {
        forAll(1000, r -> {
            long value = Generators.vlu(r);
            ByteBuf buf = Unpooled.buffer();
            Vlu.write(buf, value);
            assertEquals(Vlu.size(value), buf.readableBytes());
            for (int i = 0; i < buf.readableBytes() - 1; i++) {
                assertEquals(0x80, buf.getUnsignedByte(i) & 0x80, "continuation bit on every byte but the last");
            }
            assertEquals(value, Vlu.read(buf));
            assertEquals(0, buf.readableBytes());
        });
    }

    @Test
    void everyOptionListDecodesToItself() {
        forAll(1000, r -> {
            OptionList list = WireGenerators.optionList(r);
            boolean withMarker = r.nextBoolean();
            ByteBuf buf = Unpooled.buffer();
            if (withMarker) {
                list.writeWithMarker(buf);
                buf.writeByte(0x42);
            } else {
                list.write(buf);
            }
            assertEquals(list.size() + (withMarker ? 2 : 0), buf.readableBytes());
            assertEquals(list, OptionList.read(buf, withMarker));
            assertEquals(withMarker ? 1 : 0, buf.readableBytes());
            for (Option option : list.options()) {
                ByteBuf one = Unpooled.buffer();
                option.write(one);
                assertEquals(option.size(), one.readableBytes());
            }
        });
    }

    @Test
    void everyPeerAddressDecodesToItself() {
        forAll(1000, r -> {
            PeerAddress address = WireGenerators.peerAddress(r);
            ByteBuf buf = Unpooled.buffer();
            address.write(buf);
            assertEquals(address.size(), buf.readableBytes());
            assertEquals(address, PeerAddress.read(buf));
            assertEquals(0, buf.readableBytes());
        });
    }
}
