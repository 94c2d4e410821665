package org.rtmfpd.wire;

import org.rtmfpd.testing.Mutation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.rtmfpd.testing.Generators.forAll;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rtmfpd.testing.Generators;

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

    @BeforeAll
    static void warmUp() {
        // load and initialise every class once, so that first-use allocations are not charged to a sample
        Random r = new Random(Generators.BASE_SEED);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = Bytes.encode(WireGenerators.chunk(r));
            for (Decoder decoder : DECODERS) {
                decodeOrReject(decoder, bytes);
            }
        }
    }

    /** Plain random bytes, or chunk-shaped noise, half the time each. */
    static byte[] noise(Random r) {
        if (r.nextBoolean()) {
            return WireGenerators.bytes(r, 300);
        }
        // chunk-shaped noise: known type bytes and small lengths make decoders go deeper than pure noise
        List<byte[]> parts = Generators.listOf(r, 0, 6, g -> {
            int type = Generators.intBetween(g, 0, 0xff);
            byte[] body = WireGenerators.bytes(g, 40);
            return Bytes.concat(new byte[] {(byte) type, 0, (byte) body.length}, body);
        });
        return Bytes.concat(parts.toArray(byte[][]::new));
    }

    @Test
    void noiseIntoEveryDecoder() {
        forAll(1000, r -> {
            byte[] input = noise(r);
            for (Decoder decoder : DECODERS) {
                check(decoder, input);
            }
        });
    }

    @Test
    void damagedPacketsIntoPacketAndChunkDecoders() {
        forAll(1000, r -> {
            Packet packet = WireGenerators.packet(r);
            byte[] input = Mutation.applyAll(WireGenerators.encode(packet), Mutation.some(r));
            check(CHUNKS, input);
            check(PACKET, input);
        });
    }

    @Test
    void damagedPayloadsIntoTheirOwnDecoder() {
        forAll(2000, r -> {
            Chunk chunk = WireGenerators.chunk(r);
            byte[] input = Mutation.applyAll(Bytes.payload(chunk), Mutation.some(r));
            check(chunkPayloadDecoder(chunk.type()), input);
        });
    }

    @Test
    void damagedOptionListsAndAddresses() {
        forAll(1000, r -> {
            OptionList list = WireGenerators.optionList(r);
            PeerAddress address = WireGenerators.peerAddress(r);
            List<Mutation> mutations = Mutation.some(r);
            ByteBuf listBytes = Unpooled.buffer();
            list.writeWithMarker(listBytes);
            byte[] damagedList = Mutation.applyAll(ByteBufs.toArray(listBytes), mutations);
            check(OPTIONS_WITH_MARKER, damagedList);
            check(OPTIONS, damagedList);

            ByteBuf addressBytes = Unpooled.buffer();
            address.write(addressBytes);
            check(ADDRESS, Mutation.applyAll(ByteBufs.toArray(addressBytes), mutations));
        });
    }

    @Test
    void hugeLengthClaimsAllocateNothing() {
        assumeTrue(AllocationMeter.isSupported());
        forAll(500, r -> {
            long claim = Generators.longBetween(r, 1 << 16, 1L << 40);
            byte[] tail = WireGenerators.bytes(r, 16);
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
        });
    }

    @Test
    void aChunkLengthPastThePacketEndsTheChunks() {
        forAll(200, r -> {
            Chunk chunk = WireGenerators.chunk(r);
            byte[] body = WireGenerators.bytes(r, 100);
            byte[] claimsMore = Bytes.concat(Bytes.encode(chunk), new byte[] {0x10, (byte) 0xff, (byte) 0xff}, body);
            assertEquals(List.of(chunk), Chunks.decode(Unpooled.wrappedBuffer(claimsMore)));
        });
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
