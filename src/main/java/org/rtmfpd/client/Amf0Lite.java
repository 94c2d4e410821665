package org.rtmfpd.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.WireException;

/**
 * Turns the few AMF0 values that NetConnection commands use into bytes and back: number, boolean,
 * string, null/undefined, object (as a {@link Map}), ECMA and strict arrays, and dates (as milliseconds).
 * A stand-in until the project's Flash layer provides a full AMF0 codec; only this client uses it.
 */
final class Amf0Lite {
    private static final int NUMBER = 0x00;
    private static final int BOOLEAN = 0x01;
    private static final int STRING = 0x02;
    private static final int OBJECT = 0x03;
    private static final int NULL = 0x05;
    private static final int UNDEFINED = 0x06;
    private static final int ECMA_ARRAY = 0x08;
    private static final int OBJECT_END = 0x09;
    private static final int STRICT_ARRAY = 0x0a;
    private static final int DATE = 0x0b;
    private static final int LONG_STRING = 0x0c;
    private static final int TYPED_OBJECT = 0x10;
    private static final int MAX_DEPTH = 32;

    private Amf0Lite() {
    }

    /** Writes each value in turn. */
    static byte[] write(Object... values) {
        ByteBuf out = Unpooled.buffer(128);
        for (Object value : values) {
            writeValue(out, value);
        }
        return ByteBufs.toArray(out);
    }

    /** Reads values until the bytes end; throws {@link WireException} on a malformed or unsupported value. */
    static List<Object> readAll(byte[] bytes, int offset) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes, offset, bytes.length - offset);
        List<Object> values = new ArrayList<>();
        try {
            while (in.isReadable()) {
                values.add(readValue(in, 0));
            }
        } catch (IndexOutOfBoundsException e) {
            throw new WireException("AMF0 value runs past the end of the message");
        }
        return values;
    }

    private static void writeValue(ByteBuf out, Object value) {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Number n) {
            out.writeByte(NUMBER);
            out.writeDouble(n.doubleValue());
        } else if (value instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeByte(b ? 1 : 0);
        } else if (value instanceof CharSequence s) {
            byte[] utf8 = s.toString().getBytes(StandardCharsets.UTF_8);
            if (utf8.length > 0xffff) {
                out.writeByte(LONG_STRING);
                out.writeInt(utf8.length);
            } else {
                out.writeByte(STRING);
                out.writeShort(utf8.length);
            }
            out.writeBytes(utf8);
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(OBJECT);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                writeKey(out, String.valueOf(e.getKey()));
                writeValue(out, e.getValue());
            }
            writeKey(out, "");
            out.writeByte(OBJECT_END);
        } else if (value instanceof List<?> list) {
            out.writeByte(STRICT_ARRAY);
            out.writeInt(list.size());
            for (Object item : list) {
                writeValue(out, item);
            }
        } else {
            throw new IllegalArgumentException("no AMF0 encoding for " + value.getClass().getName());
        }
    }

    private static void writeKey(ByteBuf out, String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.writeBytes(utf8);
    }

    private static Object readValue(ByteBuf in, int depth) {
        if (depth > MAX_DEPTH) {
            throw new WireException("AMF0 values nested deeper than " + MAX_DEPTH);
        }
        int marker = in.readUnsignedByte();
        switch (marker) {
            case NUMBER:
                return in.readDouble();
            case BOOLEAN:
                return in.readUnsignedByte() != 0;
            case STRING:
                return readUtf8(in, in.readUnsignedShort());
            case LONG_STRING:
                return readUtf8(in, in.readInt());
            case NULL:
            case UNDEFINED:
                return null;
            case TYPED_OBJECT:
                readUtf8(in, in.readUnsignedShort());
                return readProperties(in, depth);
            case OBJECT:
                return readProperties(in, depth);
            case ECMA_ARRAY:
                in.skipBytes(4); // the count is a hint; the end marker ends the properties
                return readProperties(in, depth);
            case STRICT_ARRAY: {
                long count = in.readUnsignedInt();
                if (count > in.readableBytes()) {
                    throw new WireException("AMF0 array of " + count + " items in " + in.readableBytes() + " bytes");
                }
                List<Object> list = new ArrayList<>();
                for (long i = 0; i < count; i++) {
                    list.add(readValue(in, depth + 1));
                }
                return list;
            }
            case DATE: {
                double millis = in.readDouble();
                in.skipBytes(2); // time zone, unused
                return millis;
            }
            default:
                throw new WireException("unsupported AMF0 marker 0x" + Integer.toHexString(marker));
        }
    }

    private static Map<String, Object> readProperties(ByteBuf in, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            String key = readUtf8(in, in.readUnsignedShort());
            if (key.isEmpty() && in.isReadable() && in.getUnsignedByte(in.readerIndex()) == OBJECT_END) {
                in.skipBytes(1);
                return map;
            }
            map.put(key, readValue(in, depth + 1));
        }
    }

    private static String readUtf8(ByteBuf in, int length) {
        if (length < 0 || length > in.readableBytes()) {
            throw new WireException("AMF0 string of " + length + " bytes runs past the message");
        }
        return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }
}
