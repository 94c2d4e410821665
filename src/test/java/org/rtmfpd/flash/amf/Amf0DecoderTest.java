package org.rtmfpd.flash.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtmfpd.flash.Hex;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.WireException;

class Amf0DecoderTest {

    private static Object decode(String hex) {
        ByteBuf in = Hex.buf(hex);
        Object value = Amf0Decoder.read(in);
        assertFalse(in.isReadable(), "value must consume all its bytes");
        return value;
    }

    private static String encode(Object value) {
        ByteBuf out = Unpooled.buffer();
        Amf0Encoder.write(out, value);
        return Hex.of(ByteBufs.toArray(out));
    }

    @Test
    void scalars() {
        assertEquals(3.0, decode("00 4008000000000000"));
        assertEquals(-0.0, decode("00 8000000000000000"));
        assertEquals(true, decode("01 01"));
        assertEquals(false, decode("01 00"));
        assertEquals("connect", decode("02 0007 636f6e6e656374"));
        assertEquals("", decode("02 0000"));
        assertEquals("h\u00e9", decode("02 0003 68c3a9"));
        assertNull(decode("05"));
        assertSame(Undefined.VALUE, decode("06"));
        assertEquals("ab", decode("0c 00000002 6162"));
        assertEquals(new AmfDate(1.0e12), decode("0b 426d1a94a2000000 0000"));
    }

    @Test
    void objectKeepsWireOrderAndEndsAtItsMarker() {
        Object value = decode("03 0001 62 00 3ff0000000000000 0001 61 05 000009");
        assertTrue(value instanceof LinkedHashMap);
        Map<?, ?> map = (Map<?, ?>) value;
        assertEquals(List.of("b", "a"), new ArrayList<>(map.keySet()));
        assertEquals(1.0, map.get("b"));
        assertTrue(map.containsKey("a"));
        assertNull(map.get("a"));
    }

    @Test
    void emptyKeyThatIsNotTheEndIsAProperty() {
        Map<?, ?> map = (Map<?, ?>) decode("03 0000 05 000009");
        assertTrue(map.containsKey(""));
        assertEquals(1, map.size());
    }

    @Test
    void ecmaArrayIgnoresItsCountHint() {
        Object value = decode("08 00000007 0001 78 02 0001 79 000009");
        assertEquals(new EcmaArray(Map.of("x", "y")), value);
    }

    @Test
    void strictArrayAndTypedObject() {
        assertEquals(List.of(1.0, "a"), decode("0a 00000002 00 3ff0000000000000 02 0001 61"));
        assertEquals(new TypedObject("T", Map.of("k", true)), decode("10 0001 54 0001 6b 01 01 000009"));
    }

    @Test
    void encoderWritesTheSameBytes() {
        assertEquals("004008000000000000", encode(3));
        assertEquals("0c00010000" + "61".repeat(0x10000), encode("a".repeat(0x10000)));
        assertEquals("02ffff" + "61".repeat(0xffff), encode("a".repeat(0xffff)));
        assertEquals("08 00000001 0001 78 02 0001 79 000009".replace(" ", ""), encode(new EcmaArray(Map.of("x", "y"))));
        assertEquals("0b426d1a94a20000000000", encode(new AmfDate(1.0e12)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",                     // nothing
        "00 3ff0",              // short number
        "01",                   // boolean without its byte
        "02 0005 6162",         // string longer than its bytes
        "0c ffffffff 61",       // long string claiming 4 GB
        "0a ffffffff 05",       // strict array claiming 4 G elements
        "03 0001 61 05",        // object without end marker
        "03 0001 61 05 0000",   // object end marker cut short
        "07 0000",              // reference
        "09",                   // object end outside an object
        "04",                   // movie clip
        "0d",                   // unsupported
        "0f 00000000",          // XML document
        "0b 0000000000000000",  // date without time zone
        "ff",                   // unknown marker
        "11 0a 0b 01",          // AMF3 object
        "11 06 00",             // AMF3 string reference
        "11 06 7f 61",          // AMF3 string longer than its bytes
        "11 04 ff ff ff",       // AMF3 integer cut short
    })
    void malformedInputThrowsWireException(String hex) {
        assertThrows(WireException.class, () -> Amf0Decoder.read(Hex.buf(hex)));
    }

    @Test
    void nestingStopsAtTheDepthLimit() {
        Object deepest = decode(nestedArrays(Amf0Decoder.MAX_DEPTH));
        assertEquals(Amf0Decoder.MAX_DEPTH, depthOf(deepest));
        assertThrows(WireException.class, () -> Amf0Decoder.read(Hex.buf(nestedArrays(Amf0Decoder.MAX_DEPTH + 1))));
        assertThrows(IllegalArgumentException.class, () -> Amf0Encoder.write(Unpooled.buffer(), List.of(deepest)));
    }

    private static String nestedArrays(int depth) {
        return "0a00000001".repeat(depth) + "05";
    }

    private static int depthOf(Object value) {
        int depth = 0;
        while (value instanceof List<?> list) {
            depth++;
            value = list.get(0);
        }
        return depth;
    }

    @Test
    void amf3ValuesAfterTheSwitchMarker() {
        assertSame(Undefined.VALUE, decode("11 00"));
        assertNull(decode("11 01"));
        assertEquals(false, decode("11 02"));
        assertEquals(true, decode("11 03"));
        assertEquals(3.0, decode("11 04 03"));
        assertEquals(200.0, decode("11 04 81 48"));
        assertEquals(268435455.0, decode("11 04 bf ff ff ff"));   // largest 29-bit integer
        assertEquals(-1.0, decode("11 04 ff ff ff ff"));
        assertEquals(-268435456.0, decode("11 04 c0 80 80 00")); // smallest
        assertEquals(2.5, decode("11 05 4004000000000000"));
        assertEquals("DEVKEY", decode("11 06 0d 4445564b4559"));
        assertEquals("", decode("11 06 01"));
    }

    @Test
    void readAllReadsEveryValue() {
        assertEquals(List.of("a", 2.0), Amf0Decoder.readAll(Hex.buf("02 0001 61 11 04 02")));
    }

    @Test
    void encoderRefusesWhatAmf0CannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> Amf0Encoder.write(Unpooled.buffer(), new Object()));
        assertThrows(IllegalArgumentException.class, () -> Amf0Encoder.write(Unpooled.buffer(), Map.of(1, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> Amf0Encoder.write(Unpooled.buffer(), Map.of("k".repeat(0x10000), 1)));
    }
}
