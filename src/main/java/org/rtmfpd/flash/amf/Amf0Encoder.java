package org.rtmfpd.flash.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.Map;

/**
 * Turns Java values into AMF0 bytes (AMF0 File Format Specification), the inverse of
 * {@link Amf0Decoder}: any {@link Number} becomes an AMF0 number (a double), a {@link String} a
 * string or, beyond 65535 UTF-8 bytes, a long string, a {@code Map} with string keys an anonymous
 * object, a {@code List} a strict array; {@code null}, {@link Undefined}, {@link Boolean},
 * {@link EcmaArray}, {@link TypedObject} and {@link AmfDate} map to their own markers. Other types,
 * non-string keys, property names beyond 65535 bytes and nesting beyond
 * {@link Amf0Decoder#MAX_DEPTH} are programming errors and throw {@link IllegalArgumentException}.
 */
public final class Amf0Encoder {
    private static final int EMPTY_KEY = 0;

    private Amf0Encoder() {
    }

    public static void write(ByteBuf out, Object value) {
        write(out, value, 0);
    }

    public static void writeAll(ByteBuf out, List<?> values) {
        for (Object value : values) {
            write(out, value, 0);
        }
    }

    private static void write(ByteBuf out, Object value, int depth) {
        if (value == null) {
            out.writeByte(Amf0Marker.NULL);
        } else if (value == Undefined.VALUE) {
            out.writeByte(Amf0Marker.UNDEFINED);
        } else if (value instanceof Boolean b) {
            out.writeByte(Amf0Marker.BOOLEAN);
            out.writeByte(b ? 1 : 0);
        } else if (value instanceof Number n) {
            out.writeByte(Amf0Marker.NUMBER);
            out.writeDouble(n.doubleValue());
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(Amf0Marker.OBJECT);
            writeProperties(out, map, enter(depth));
        } else if (value instanceof EcmaArray array) {
            out.writeByte(Amf0Marker.ECMA_ARRAY);
            out.writeInt(array.entries().size());
            writeProperties(out, array.entries(), enter(depth));
        } else if (value instanceof TypedObject typed) {
            out.writeByte(Amf0Marker.TYPED_OBJECT);
            writeShortUtf8(out, typed.className());
            writeProperties(out, typed.properties(), enter(depth));
        } else if (value instanceof List<?> list) {
            out.writeByte(Amf0Marker.STRICT_ARRAY);
            out.writeInt(list.size());
            int inner = enter(depth);
            for (Object element : list) {
                write(out, element, inner);
            }
        } else if (value instanceof AmfDate date) {
            out.writeByte(Amf0Marker.DATE);
            out.writeDouble(date.epochMillis());
            out.writeShort(0);
        } else {
            throw new IllegalArgumentException("no AMF0 encoding for " + value.getClass().getName());
        }
    }

    private static int enter(int depth) {
        if (depth >= Amf0Decoder.MAX_DEPTH) {
            throw new IllegalArgumentException("value nests deeper than " + Amf0Decoder.MAX_DEPTH);
        }
        return depth + 1;
    }

    private static void writeString(ByteBuf out, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        if (length > Amf0Marker.MAX_SHORT_STRING) {
            out.writeByte(Amf0Marker.LONG_STRING);
            out.writeInt(length);
        } else {
            out.writeByte(Amf0Marker.STRING);
            out.writeShort(length);
        }
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    private static void writeShortUtf8(ByteBuf out, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        if (length > Amf0Marker.MAX_SHORT_STRING) {
            throw new IllegalArgumentException("name of " + length + " UTF-8 bytes does not fit AMF0");
        }
        out.writeShort(length);
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    private static void writeProperties(ByteBuf out, Map<?, ?> properties, int depth) {
        for (Map.Entry<?, ?> e : properties.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("AMF0 property names are strings, not " + e.getKey());
            }
            writeShortUtf8(out, key);
            write(out, e.getValue(), depth);
        }
        out.writeShort(EMPTY_KEY);
        out.writeByte(Amf0Marker.OBJECT_END);
    }
}
