package org.rtmfpd.flash.amf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.rtmfpd.testing.Generators.forAll;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtmfpd.testing.Generators;
import org.rtmfpd.wire.ByteBufs;

class Amf0RoundTripPropertyTest {
    private static final int MAX_GENERATED_DEPTH = 3;
    private static final int AMF3_INT_MIN = -(1 << 28);
    private static final int AMF3_INT_MAX = (1 << 28) - 1;

    @Test
    void encodedValuesDecodeToEqualValuesAndTheSameBytes() {
        forAll(400, r -> {
            Object value = value(r, MAX_GENERATED_DEPTH);
            ByteBuf encoded = Unpooled.buffer();
            Amf0Encoder.write(encoded, value);
            byte[] bytes = ByteBufs.toArray(encoded);

            Object decoded = Amf0Decoder.read(encoded);
            assertFalse(encoded.isReadable(), "decoder must consume exactly the encoded value");
            assertEquals(value, decoded);

            ByteBuf again = Unpooled.buffer();
            Amf0Encoder.write(again, decoded);
            assertArrayEquals(bytes, ByteBufs.toArray(again));
        });
    }

    @Test
    void amf3IntegersDecodeToTheirValue() {
        forAll(300, r -> {
            int n = Generators.intBetween(r, AMF3_INT_MIN, AMF3_INT_MAX);
            ByteBuf in = Unpooled.buffer();
            in.writeByte(0x11).writeByte(0x04);
            writeU29(in, n & 0x1fffffff);
            assertEquals((double) n, Amf0Decoder.read(in));
            assertFalse(in.isReadable());
        });
    }

    /** U29 as the AMF3 specification §1.3.1 lays it out, written independently of the decoder. */
    private static void writeU29(ByteBuf out, int v) {
        if (v < 0x80) {
            out.writeByte(v);
        } else if (v < 0x4000) {
            out.writeByte(v >> 7 | 0x80).writeByte(v & 0x7f);
        } else if (v < 0x200000) {
            out.writeByte(v >> 14 | 0x80).writeByte(v >> 7 & 0x7f | 0x80).writeByte(v & 0x7f);
        } else {
            out.writeByte(v >> 22 | 0x80).writeByte(v >> 15 & 0x7f | 0x80).writeByte(v >> 8 & 0x7f | 0x80).writeByte(v & 0xff);
        }
    }

    @Test
    void listsOfArgumentsRoundTrip() {
        forAll(50, r -> {
            List<Object> arguments = Generators.listOf(r, 0, 5, g -> value(g, 1));
            ByteBuf encoded = Unpooled.buffer();
            Amf0Encoder.writeAll(encoded, arguments);
            assertEquals(arguments, Amf0Decoder.readAll(encoded));
        });
    }

    /**
     * Any AMF0 value nested at most {@code depth} deep: at depth 0 a scalar, else a scalar four
     * times in eight and an object, a strict array, an ECMA array or a typed object once each.
     */
    private static Object value(Random r, int depth) {
        int kind = depth == 0 ? 0 : r.nextInt(8);
        return switch (kind) {
            case 4 -> properties(r, depth - 1);
            case 5 -> Generators.listOf(r, 0, 4, g -> value(g, depth - 1));
            case 6 -> new EcmaArray(properties(r, depth - 1));
            case 7 -> new TypedObject(string(r), properties(r, depth - 1));
            default -> scalar(r);
        };
    }

    /** One time in ten null, else a number, a boolean, a string, undefined or a date, each as likely. */
    private static Object scalar(Random r) {
        if (Generators.chance(r, 0.1)) {
            return null;
        }
        return switch (r.nextInt(5)) {
            case 0 -> Generators.anyDouble(r);
            case 1 -> r.nextBoolean();
            case 2 -> string(r);
            case 3 -> Undefined.VALUE;
            default -> new AmfDate(Generators.anyDouble(r));
        };
    }

    /** Up to four properties with distinct names, in insertion order. */
    private static Map<String, Object> properties(Random r, int depth) {
        int size = Generators.size(r, 0, 4);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int attempt = 0; map.size() < size && attempt < 4 * size; attempt++) {
            map.put(string(r), value(r, depth));
        }
        return map;
    }

    /**
     * Well-formed Unicode, no lone surrogates, which UTF-8 cannot carry: up to 12 BMP characters
     * spread evenly over UTF-8's one, two and three byte forms; up to 3 supplementary code points;
     * or a name Flash sends.
     */
    private static String string(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> {
                StringBuilder s = new StringBuilder();
                for (int n = Generators.size(r, 0, 12); n > 0; n--) {
                    s.append((char) switch (r.nextInt(4)) {
                        case 0 -> Generators.intBetween(r, 0x0000, 0x007f);
                        case 1 -> Generators.intBetween(r, 0x0080, 0x07ff);
                        case 2 -> Generators.intBetween(r, 0x0800, 0xd7ff);
                        default -> Generators.intBetween(r, 0xe000, 0xffff);
                    });
                }
                yield s.toString();
            }
            case 1 -> {
                StringBuilder s = new StringBuilder();
                for (int n = Generators.size(r, 0, 3); n > 0; n--) {
                    s.appendCodePoint(Generators.intBetween(r, 0x10000, Character.MAX_CODE_POINT));
                }
                yield s.toString();
            }
            default -> Generators.pick(r, "", "connect", "objectEncoding");
        };
    }
}
