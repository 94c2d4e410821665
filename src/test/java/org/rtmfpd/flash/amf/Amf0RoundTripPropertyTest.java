package org.rtmfpd.flash.amf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.rtmfpd.wire.ByteBufs;

class Amf0RoundTripPropertyTest {
    private static final int MAX_GENERATED_DEPTH = 3;
    private static final int AMF3_INT_MIN = -(1 << 28);
    private static final int AMF3_INT_MAX = (1 << 28) - 1;

    @Property(tries = 400)
    void encodedValuesDecodeToEqualValuesAndTheSameBytes(@ForAll("values") Object value) {
        ByteBuf encoded = Unpooled.buffer();
        Amf0Encoder.write(encoded, value);
        byte[] bytes = ByteBufs.toArray(encoded);

        Object decoded = Amf0Decoder.read(encoded);
        assertFalse(encoded.isReadable(), "decoder must consume exactly the encoded value");
        assertEquals(value, decoded);

        ByteBuf again = Unpooled.buffer();
        Amf0Encoder.write(again, decoded);
        assertArrayEquals(bytes, ByteBufs.toArray(again));
    }

    @Property(tries = 300)
    void amf3IntegersDecodeToTheirValue(@ForAll @IntRange(min = AMF3_INT_MIN, max = AMF3_INT_MAX) int n) {
        ByteBuf in = Unpooled.buffer();
        in.writeByte(0x11).writeByte(0x04);
        writeU29(in, n & 0x1fffffff);
        assertEquals((double) n, Amf0Decoder.read(in));
        assertFalse(in.isReadable());
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

    @Provide
    Arbitrary<Object> values() {
        return value(MAX_GENERATED_DEPTH);
    }

    private static Arbitrary<Object> value(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.doubles().withSpecialValue(Double.NaN).withSpecialValue(-0.0)
                        .withSpecialValue(Double.NEGATIVE_INFINITY).withSpecialValue(Double.MAX_VALUE),
                Arbitraries.of(true, false),
                strings(),
                Arbitraries.of(Undefined.VALUE),
                Arbitraries.doubles().map(AmfDate::new)).injectNull(0.1);
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<Object> inner = Arbitraries.lazy(() -> value(depth - 1));
        Arbitrary<Map<String, Object>> properties = Arbitraries.maps(strings(), inner).ofMaxSize(4)
                .map(LinkedHashMap::new);
        return Arbitraries.frequencyOf(
                Tuple.of(4, scalar),
                Tuple.of(1, properties.map(m -> (Object) m)),
                Tuple.of(1, inner.list().ofMaxSize(4).map(l -> (Object) l)),
                Tuple.of(1, properties.map(EcmaArray::new)),
                Tuple.of(1, Combinators.combine(strings(), properties).as(TypedObject::new)));
    }

    /** Well-formed Unicode: no lone surrogates, which UTF-8 cannot carry. */
    private static Arbitrary<String> strings() {
        Arbitrary<String> basic = Arbitraries.strings().withCharRange('\u0000', '\ud7ff')
                .withCharRange('\ue000', '\uffff').ofMaxLength(12);
        Arbitrary<String> supplementary = Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)
                .list().ofMaxSize(3).map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
        return Arbitraries.oneOf(basic, supplementary, Arbitraries.of("", "connect", "objectEncoding"));
    }

    @Property(tries = 50)
    void listsOfArgumentsRoundTrip(@ForAll("argumentLists") List<Object> arguments) {
        ByteBuf encoded = Unpooled.buffer();
        Amf0Encoder.writeAll(encoded, arguments);
        assertEquals(arguments, Amf0Decoder.readAll(encoded));
    }

    @Provide
    Arbitrary<List<Object>> argumentLists() {
        return value(1).list().ofMaxSize(5);
    }
}
