package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever bytes arrive, every decoder either returns a value or throws {@link WireException}; what it
 * returns holds no more bytes and list elements than its input had bytes, costs a bounded amount of
 * heap, and encodes to something that decodes to the same value.
 */
class HostileInputPropertyTest {
    /** Heap a decoder may use per input byte: records, slices and list slots for tiny elements. */
    private static final long HEAP_PER_INPUT_BYTE = 256;
    /** Heap a decoder may use whatever its input: exception messages, first-use class data. */
    private static final long HEAP_BASE = 256 * 1024;

    /** One decoder under test, with the encoder that must read back to the same value. */
    record Decoder(String name, Function<ByteBuf, Object> decode, BiConsumer<Object, ByteBuf> encode) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Decoder CHUNKS = new Decoder("Chunks.decode", Chunks::decode,
            (v, out) -> Chunks.encode(chunkList(v), out));
    static final Decoder PACKET = new Decoder("Packet.decode", Packet::decode, (v, out) -> ((Packet) v).encode(out));
    static final Decoder OPTIONS_WITH_MARKER = new Decoder("OptionList.read(marker)", in -> OptionList.read(in, true),
            (v, out) -> ((OptionList) v).writeWithMarker(out));
    static final Decoder OPTIONS = new Decoder("OptionList.read", in -> OptionList.read(in, false),
            (v, out) -> ((OptionList) v).write(out));
    static final Decoder ADDRESS = new Decoder("PeerAddress.read", PeerAddress::read,
            (v, out) -> ((PeerAddress) v).write(out));
    static final Decoder VLU = new Decoder("Vlu.read", Vlu::read, (v, out) -> Vlu.write(out, (Long) v));
    static final Decoder FIELD = new Decoder("Field.read", Field::read, (v, out) -> Field.write(out, (byte[]) v));
    /** All of the above, and the payload decoder of every chunk type, Unknown ones included. */
    static final List<Decoder> DECODERS = allDecoders();

    private static List<Decoder> allDecoders() {
        List<Decoder> all = new ArrayList<>(List.of(CHUNKS, PACKET, OPTIONS_WITH_MARKER, OPTIONS, ADDRESS, VLU, FIELD));
        for (int type = 0; type < Chunks.PADDING; type++) {
            all.add(chunkPayloadDecoder(type));
        }
        return List.copyOf(all);
    }

    private static Decoder chunkPayloadDecoder(int type) {
        return new Decoder(String.format("chunk 0x%02x", type), in -> Chunks.decodePayload(type, in),
                (v, out) -> ((Chunk) v).encodePayload(out));
    }

    @SuppressWarnings("unchecked")
    private static List<Chunk> chunkList(Object value) {
        return (List<Chunk>) value;
    }

    @BeforeContainer
    static void warmUp() {
        // load and initialise every class once, so that first-use allocations are not charged to a sample
        for (Chunk chunk : WireArbitraries.chunks().sampleStream().limit(200).toList()) {
            byte[] bytes = Bytes.encode(chunk);
            for (Decoder decoder : DECODERS) {
                decodeOrReject(decoder, bytes);
            }
        }
    }

    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<byte[]> random = WireArbitraries.bytes(300);
        // chunk-shaped noise: known type bytes and small lengths make decoders go deeper than pure noise
        Arbitrary<byte[]> chunkish = Arbitraries.integers().between(0, 0xff).flatMap(type -> WireArbitraries.bytes(40)
                .map(body -> Bytes.concat(new byte[] {type.byteValue(), 0, (byte) body.length}, body)))
                .list().ofMaxSize(6).map(parts -> Bytes.concat(parts.toArray(byte[][]::new)));
        return Arbitraries.oneOf(random, chunkish);
    }

    @Provide
    Arbitrary<byte[]> damagedPackets() {
        return Combinators.combine(WireArbitraries.packets(), Mutation.some())
                .as((packet, mutations) -> Mutation.applyAll(WireArbitraries.encode(packet), mutations));
    }

    @Provide
    Arbitrary<Chunk> chunks() {
        return WireArbitraries.chunks();
    }

    @Provide
    Arbitrary<OptionList> optionLists() {
        return WireArbitraries.optionLists();
    }

    @Provide
    Arbitrary<PeerAddress> peerAddresses() {
        return WireArbitraries.peerAddresses();
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Mutation.some();
    }

    @Property(tries = 1000)
    void noiseIntoEveryDecoder(@ForAll("noise") byte[] input) {
        for (Decoder decoder : DECODERS) {
            check(decoder, input);
        }
    }

    @Property(tries = 1000)
    void damagedPacketsIntoPacketAndChunkDecoders(@ForAll("damagedPackets") byte[] input) {
        check(CHUNKS, input);
        check(PACKET, input);
    }

    @Property(tries = 2000)
    void damagedPayloadsIntoTheirOwnDecoder(@ForAll("chunks") Chunk chunk, @ForAll("mutations") List<Mutation> mutations) {
        byte[] input = Mutation.applyAll(Bytes.payload(chunk), mutations);
        check(chunkPayloadDecoder(chunk.type()), input);
    }

    @Property(tries = 1000)
    void damagedOptionListsAndAddresses(@ForAll("optionLists") OptionList list,
            @ForAll("peerAddresses") PeerAddress address, @ForAll("mutations") List<Mutation> mutations) {
        ByteBuf listBytes = Unpooled.buffer();
        list.writeWithMarker(listBytes);
        byte[] damagedList = Mutation.applyAll(ByteBufs.toArray(listBytes), mutations);
        check(OPTIONS_WITH_MARKER, damagedList);
        check(OPTIONS, damagedList);

        ByteBuf addressBytes = Unpooled.buffer();
        address.write(addressBytes);
        check(ADDRESS, Mutation.applyAll(ByteBufs.toArray(addressBytes), mutations));
    }

    @Property(tries = 500)
    void hugeLengthClaimsAllocateNothing(@ForAll @LongRange(min = 1 << 16, max = 1L << 40) long claim,
            @ForAll @Size(max = 16) byte[] tail) {
        Assume.that(AllocationMeter.isSupported());
        ByteBuf vlu = Unpooled.buffer();
        Vlu.write(vlu, claim);
        byte[] length = ByteBufs.toArray(vlu);
        List<Runnable> attempts = List.of(
                () -> Field.read(Unpooled.wrappedBuffer(Bytes.concat(length, tail))),
                () -> OptionList.read(Unpooled.wrappedBuffer(Bytes.concat(length, tail)), false),
                () -> IHello.decode(Unpooled.wrappedBuffer(Bytes.concat(length, tail))),
                () -> RHello.decode(Unpooled.wrappedBuffer(Bytes.concat(Bytes.hex("00"), length, tail))),
                () -> IIKeying.decode(Unpooled.wrappedBuffer(Bytes.concat(Bytes.hex("01020304 00 00"), length, tail))),
                () -> UserData.decode(Unpooled.wrappedBuffer(Bytes.concat(Bytes.hex("80 01 01 01"), length, tail))));
        for (Runnable attempt : attempts) {
            long allocated = AllocationMeter.allocatedBy(() -> assertThrows(WireException.class, attempt::run));
            assertTrue(allocated < HEAP_BASE, () -> "a claim of " + claim + " bytes allocated " + allocated);
        }
    }

    @Property(tries = 200)
    void aChunkLengthPastThePacketEndsTheChunks(@ForAll("chunks") Chunk chunk, @ForAll @Size(max = 100) byte[] body) {
        byte[] claimsMore = Bytes.concat(Bytes.encode(chunk), new byte[] {0x10, (byte) 0xff, (byte) 0xff}, body);
        assertEquals(List.of(chunk), Chunks.decode(Unpooled.wrappedBuffer(claimsMore)));
    }

    /** Runs one decoder on {@code input} and checks everything the class comment promises. */
    private static void check(Decoder decoder, byte[] input) {
        Object[] result = new Object[1];
        long allocated = AllocationMeter.isSupported()
                ? AllocationMeter.allocatedBy(() -> result[0] = decodeOrReject(decoder, input))
                : -1;
        Object value = result[0];
        if (allocated >= 0) {
            long budget = HEAP_BASE + HEAP_PER_INPUT_BYTE * input.length;
            assertTrue(allocated <= budget, () -> decoder + " allocated " + allocated + " bytes for "
                    + input.length + " input bytes: " + ByteBufs.hex(input));
        }
        if (value == null) {
            return;
        }
        DecodedSize size = DecodedSize.of(value);
        assertTrue(size.bytes() <= input.length && size.elements() <= input.length,
                () -> decoder + " made " + size + " out of " + input.length + " bytes: " + ByteBufs.hex(input));

        ByteBuf encoded = Unpooled.buffer();
        decoder.encode().accept(value, encoded);
        Object reread = decodeOrReject(decoder, ByteBufs.toArray(encoded));
        assertTrue(Objects.deepEquals(value, reread),
                () -> decoder + " does not read back its own encoding of " + value + ": " + reread);
    }

    /** The decoded value, or null if the decoder threw {@link WireException}; anything else fails the test. */
    private static Object decodeOrReject(Decoder decoder, byte[] input) {
        try {
            return decoder.decode().apply(Unpooled.wrappedBuffer(input));
        } catch (WireException rejected) {
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(decoder + " threw " + e + " on " + ByteBufs.hex(input), e);
        }
    }
}
