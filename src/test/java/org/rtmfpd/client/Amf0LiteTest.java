package org.rtmfpd.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rtmfpd.wire.WireException;

class Amf0LiteTest {
    @Test
    void connectCommandBytes() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("app", "K");
        object.put("objectEncoding", 3.0);
        byte[] bytes = Amf0Lite.write("connect", 1.0, object);
        assertEquals("020007636f6e6e656374" + "003ff0000000000000"
                + "03" + "0003617070" + "0200014b" + "000e6f626a656374456e636f64696e67" + "004008000000000000" + "000009",
                ByteBufUtil.hexDump(bytes));
        assertEquals(List.of("connect", 1.0, object), Amf0Lite.readAll(bytes, 0));
    }

    @Test
    void readsNullUndefinedBooleansArraysDatesAndTypedObjects() {
        byte[] good = ByteBufUtil.decodeHexDump("05" + "06" + "0101"
                + "0800000001" + "000161" + "004000000000000000" + "000009"  // ECMA array {a: 2}
                + "0a00000002" + "020001780100"                  // strict array ["x", false]
                + "0b" + "4000000000000000" + "0000"              // date: 2 ms
                + "10" + "000143" + "0001620200017a" + "000009"); // typed object C {b: "z"}
        List<Object> values = Amf0Lite.readAll(good, 0);
        assertEquals(Arrays.asList(null, null, true, Map.of("a", 2.0), List.of("x", false), 2.0, Map.of("b", "z")), values);
    }

    @Test
    void malformedInputIsAWireException() {
        assertThrows(WireException.class, () -> Amf0Lite.readAll(ByteBufUtil.decodeHexDump("0200ff41"), 0));
        assertThrows(WireException.class, () -> Amf0Lite.readAll(ByteBufUtil.decodeHexDump("0a7fffffff"), 0));
        assertThrows(WireException.class, () -> Amf0Lite.readAll(ByteBufUtil.decodeHexDump("11"), 0));
        assertThrows(WireException.class, () -> Amf0Lite.readAll(ByteBufUtil.decodeHexDump("003ff0"), 0));
        assertThrows(WireException.class, () -> Amf0Lite.readAll(ByteBufUtil.decodeHexDump("0a000000010a000000010a00000001".repeat(12)), 0));
    }
}
