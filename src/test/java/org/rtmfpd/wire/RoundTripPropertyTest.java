package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Every value the wire layer can encode decodes back to itself. */
class RoundTripPropertyTest {

    @Provide
    Arbitrary<Chunk> chunks() {
        return WireArbitraries.chunks();
    }

    @Provide
    Arbitrary<List<Chunk>> chunkLists() {
        return WireArbitraries.chunks().list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<Packet> packets() {
        return WireArbitraries.packets();
    }

    @Provide
    Arbitrary<Long> vluValues() {
        return WireArbitraries.vluValues();
    }

    @Provide
    Arbitrary<PeerAddress> peerAddresses() {
        return WireArbitraries.peerAddresses();
    }

    @Provide
    Arbitrary<OptionList> optionLists() {
        return WireArbitraries.optionLists();
    }

    @Property(tries = 2000)
    void everyChunkDecodesToItself(@ForAll("chunks") Chunk chunk) {
        byte[] encoded = Bytes.encode(chunk);
        byte[] payload = Bytes.payload(chunk);
        assertEquals(Chunk.HEADER_SIZE + payload.length, encoded.length);
        assertEquals(chunk.type(), encoded[0] & 0xff);
        assertEquals(payload.length, ((encoded[1] & 0xff) << 8) | (encoded[2] & 0xff));

        List<Chunk> decoded = Chunks.decode(Unpooled.wrappedBuffer(encoded));
        assertEquals(List.of(chunk), decoded);
        assertEquals(chunk.hashCode(), decoded.get(0).hashCode());
        assertEquals(chunk, Chunks.decodePayload(chunk.type(), Unpooled.wrappedBuffer(payload)));
    }

    @Property(tries = 1000)
    void chunkListsSurviveTrailingPadding(@ForAll("chunkLists") List<Chunk> chunks,
            @ForAll @IntRange(max = 15) int padding) {
        ByteBuf buf = Unpooled.buffer();
        Chunks.encode(chunks, buf);
        buf.writeBytes(Bytes.repeat(0xff, padding));
        assertEquals(chunks, Chunks.decode(buf));
        assertEquals(0, buf.readableBytes());
    }

    @Property(tries = 1000)
    void everyPacketDecodesToItself(@ForAll("packets") Packet packet, @ForAll @IntRange(max = 15) int padding) {
        byte[] encoded = WireArbitraries.encode(packet);
        ByteBuf in = Unpooled.wrappedBuffer(Bytes.concat(encoded, Bytes.repeat(0xff, padding)));
        Packet decoded = Packet.decode(in);
        assertEquals(packet, decoded);
        assertEquals(packet.mode(), decoded.mode());
        assertArrayEquals(encoded, WireArbitraries.encode(decoded));
    }

    @Property(tries = 1000)
    void everyVluDecodesToItself(@ForAll("vluValues") long value) {
        ByteBuf buf = Unpooled.buffer();
        Vlu.write(buf, value);
        assertEquals(Vlu.size(value), buf.readableBytes());
        for (int i = 0; i < buf.readableBytes() - 1; i++) {
            assertEquals(0x80, buf.getUnsignedByte(i) & 0x80, "continuation bit on every byte but the last");
        }
        assertEquals(value, Vlu.read(buf));
        assertEquals(0, buf.readableBytes());
    }

    @Property(tries = 1000)
    void everyOptionListDecodesToItself(@ForAll("optionLists") OptionList list, @ForAll boolean withMarker) {
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
    }

    @Property(tries = 1000)
    void everyPeerAddressDecodesToItself(@ForAll("peerAddresses") PeerAddress address) {
        ByteBuf buf = Unpooled.buffer();
        address.write(buf);
        assertEquals(address.size(), buf.readableBytes());
        assertEquals(address, PeerAddress.read(buf));
        assertEquals(0, buf.readableBytes());
    }
}
