package org.rtmfpd.flash;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.rtmfpd.testing.Generators.forAll;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtmfpd.flash.amf.Amf0Decoder;
import org.rtmfpd.flash.amf.Amf0Encoder;
import org.rtmfpd.flash.amf.EcmaArray;
import org.rtmfpd.flash.amf.TypedObject;
import org.rtmfpd.testing.Generators;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.WireException;

/**
 * Random and mutated bytes into every decoder of the flash layer: the only exception allowed out
 * is {@link WireException}, and no decoder allocates more than a small multiple of its input (a
 * length or count that claims gigabytes must fail before any allocation).
 */
class DecoderRobustnessPropertyTest {
    /** Heap bytes a decoder may allocate per input byte (Java objects for small AMF values). */
    private static final long BYTES_PER_INPUT_BYTE = 64;
    /** Heap bytes any call may allocate regardless of input (exception, buffers, digest). */
    private static final long FIXED_BYTES = 4096;

    /**
     * Runs measured per decoder and input; the least is kept, because java.lang.invoke now and then
     * compiles a lambda form in the calling thread, which is not the decoder's doing.
     */
    private static final int MEASURED_RUNS = 3;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private record Decoder(String name, ThrowingDecoder run) {
    }

    private interface ThrowingDecoder {
        void decode(byte[] input);
    }

    private static final List<Decoder> DECODERS = List.of(
            new Decoder("AMF0 values", b -> Amf0Decoder.readAll(wrap(b))),
            new Decoder("TC message and command", b -> Command.from(TcMessage.parse(b))),
            new Decoder("COMMAND_AMF3 body", b -> Command.readAmf3(wrap(b))),
            new Decoder("Set Keepalive Timers", b -> KeepaliveTimers.from(UserControlEvent.read(wrap(b)))),
            new Decoder("flow sync", b -> FlowSync.from(UserControlEvent.read(wrap(b)))),
            new Decoder("SetBufferLength", b -> SetBufferLength.from(UserControlEvent.read(wrap(b)))),
            new Decoder("flow metadata", FlowMetadata::parse),
            new Decoder("user-data options", b -> {
                OptionList options = OptionList.read(wrap(b), true);
                options.first(0x00).ifPresent(o -> FlowMetadata.parse(o.value()));
            }),
            new Decoder("NetGroup join", GroupJoin::parse),
            new Decoder("groupspec", GroupspecDigest::groupId),
            new Decoder("NetGroup member", b -> GroupMember.read(wrap(b))),
            new Decoder("setPeerInfo address", b -> PeerInfoAddresses.parse(new String(b, StandardCharsets.ISO_8859_1))));

    private static final List<byte[]> SAMPLES = samples();

    private static ByteBuf wrap(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    private static List<byte[]> samples() {
        List<byte[]> samples = new ArrayList<>();
        samples.add(Hex.bytes(CommandTest.FLASH_CONNECT));
        samples.add(Hex.bytes(CommandTest.FLASH_CONNECT.substring("14 00000000".length())));
        samples.add(Hex.bytes("04 00000000 0029 00003a98 00002710"));
        samples.add(Hex.bytes("0029 00003a98 00002710"));
        samples.add(Hex.bytes("0022 00000007 00000003"));
        samples.add(Hex.bytes("0003 00000001 00000bb8"));
        samples.add(Hex.bytes("54 43 04 00"));
        samples.add(Hex.bytes("05 00 54 43 04 00 02 0a 03 00"));
        samples.add(Hex.bytes("01 21 15 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));
        samples.add(groupspecJoin());
        samples.add("G:0101010c010d080e6d7967726f7570027f0200".getBytes(StandardCharsets.US_ASCII));
        samples.add(Hex.bytes("0b a548dca137d207fad778b3ff1920ada833baf45a2e8ba7aca992ff24a6a4f9eb"));
        samples.add("[2001:db8::1]:50000".getBytes(StandardCharsets.US_ASCII));
        samples.add(amf(List.of("a", 1.0, Map.of("k", List.of(true)), new EcmaArray(Map.of("x", "y")),
                new TypedObject("T", Map.of("n", 2.0)), "b".repeat(300))));
        samples.add(Hex.bytes("11 00000000 00 02 000b 7365745065657249 6e666f 00 0000000000000000 05"
                + "11 06 21 3139322e3136382e312e353a31393335 11 04 ff ff ff ff 11 05 4004000000000000"));
        return samples;
    }

    private static byte[] groupspecJoin() {
        byte[] text = "G:0101010c010d080e6d7967726f757000".getBytes(StandardCharsets.US_ASCII);
        ByteBuf out = Unpooled.buffer();
        out.writeByte(GroupJoin.TYPE).writeByte(1 + text.length).writeByte(GroupJoin.FLAG_GROUPSPEC).writeBytes(text);
        return ByteBufs.toArray(out);
    }

    private static byte[] amf(List<Object> values) {
        ByteBuf out = Unpooled.buffer();
        Amf0Encoder.writeAll(out, values);
        return ByteBufs.toArray(out);
    }

    @Test
    void randomBytes() {
        forAll(600, r -> checkAll(Generators.bytes(r, 80)));
    }

    @Test
    void mutatedSamples() {
        forAll(1500, r -> checkAll(mutatedSample(r)));
    }

    private static void checkAll(byte[] input) {
        for (Decoder decoder : DECODERS) {
            run(decoder, input); // loads classes and links string concatenations
            long allocated = Long.MAX_VALUE;
            for (int i = 0; i < MEASURED_RUNS; i++) {
                long before = THREADS.getCurrentThreadAllocatedBytes();
                run(decoder, input);
                allocated = Math.min(allocated, THREADS.getCurrentThreadAllocatedBytes() - before);
            }
            long budget = FIXED_BYTES + BYTES_PER_INPUT_BYTE * input.length;
            assertTrue(allocated <= budget, decoder.name() + " allocated " + allocated + " bytes for "
                    + input.length + " input bytes: " + Hex.of(input));
        }
    }

    private static void run(Decoder decoder, byte[] input) {
        try {
            decoder.run().decode(input);
        } catch (WireException expected) {
            // the one allowed way to refuse bytes
        } catch (RuntimeException | Error e) {
            fail(decoder.name() + " threw " + e + " for " + Hex.of(input), e);
        }
    }

    private enum Edit { SET, INSERT_HUGE_LENGTH, DELETE }

    /** One edit: what, where (modulo the current length), and the byte for SET. */
    private record EditAt(Edit edit, int position, byte value) {
    }

    /** Bytes that mean something to the decoders: AMF markers (object end, AMF3 switch, long string,
     * strict array) and the ends of length fields. */
    private static final byte[] TELLING_BYTES = {0x00, (byte) 0xff, 0x7f, (byte) 0x80, 0x09, 0x11, 0x0c, 0x0a};

    /** A sample with one to four edits, then half the time cut to a random length. */
    private static byte[] mutatedSample(Random r) {
        byte[] sample = Generators.pick(r, SAMPLES);
        List<EditAt> edits = Generators.listOf(r, 1, 4, g -> new EditAt(Generators.pick(g, Edit.class),
                Generators.intBetween(g, 0, 1 << 16),
                g.nextBoolean() ? Generators.anyByte(g) : TELLING_BYTES[g.nextInt(TELLING_BYTES.length)]));
        Integer keep = r.nextBoolean() ? null : Generators.intBetween(r, 0, 1 << 16);
        return mutate(sample, edits, keep);
    }

    private static byte[] mutate(byte[] sample, List<EditAt> edits, Integer keep) {
        List<Byte> bytes = new ArrayList<>();
        for (byte b : sample) {
            bytes.add(b);
        }
        for (EditAt e : edits) {
            int at = bytes.isEmpty() ? 0 : e.position() % bytes.size();
            switch (e.edit()) {
                case SET -> {
                    if (!bytes.isEmpty()) {
                        bytes.set(at, e.value());
                    }
                }
                case INSERT_HUGE_LENGTH -> bytes.addAll(at, List.of((byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff));
                case DELETE -> {
                    if (!bytes.isEmpty()) {
                        bytes.remove(at);
                    }
                }
            }
        }
        int length = keep == null ? bytes.size() : keep % (bytes.size() + 1);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }
}
