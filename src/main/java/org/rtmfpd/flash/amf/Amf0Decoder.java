package org.rtmfpd.flash.amf;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rtmfpd.wire.WireException;

/**
 * Turns AMF0 bytes (AMF0 File Format Specification) into Java values: {@link Double},
 * {@link Boolean}, {@link String}, {@code Map<String, Object>} (a {@link LinkedHashMap}, wire order
 * kept) for anonymous objects, {@code null}, {@link Undefined#VALUE}, {@code List<Object>} for strict
 * arrays, {@link EcmaArray}, {@link TypedObject} and {@link AmfDate}. A value behind the AMF3 switch
 * marker is read by {@link Amf3Decoder}.
 *
 * <p>Decoding is bounded: containers nest at most {@link #MAX_DEPTH} deep, and no length or count
 * is trusted beyond the bytes that remain, so nothing is allocated that the input does not pay for.
 * References (§2.9) are refused, which also rules out cycles. Malformed UTF-8 decodes with
 * U+FFFD replacement characters. Anything else that is not AMF0 throws {@link WireException}.
 */
public final class Amf0Decoder {
    /** The most containers (objects and arrays) one value may nest inside each other. */
    public static final int MAX_DEPTH = 32;

    private static final int NUMBER_BYTES = 8;
    private static final int DATE_BYTES = NUMBER_BYTES + 2;

    private Amf0Decoder() {
    }

    /** Reads one value. */
    public static Object read(ByteBuf in) {
        return read(in, 0);
    }

    /** Reads values until the buffer is empty (the arguments of a command, for example). */
    public static List<Object> readAll(ByteBuf in) {
        List<Object> values = new ArrayList<>();
        while (in.isReadable()) {
            values.add(read(in, 0));
        }
        return values;
    }

    private static Object read(ByteBuf in, int depth) {
        if (!in.isReadable()) {
            throw new WireException("AMF0 value missing at the end of its buffer");
        }
        int marker = in.readUnsignedByte();
        switch (marker) {
            case Amf0Marker.NUMBER:
                need(in, NUMBER_BYTES, "AMF0 number");
                return in.readDouble();
            case Amf0Marker.BOOLEAN:
                need(in, 1, "AMF0 boolean");
                return in.readUnsignedByte() != 0;
            case Amf0Marker.STRING:
                return readShortString(in, "AMF0 string");
            case Amf0Marker.LONG_STRING:
                need(in, 4, "AMF0 long string length");
                return readUtf8(in, in.readUnsignedInt(), "AMF0 long string");
            case Amf0Marker.NULL:
                return null;
            case Amf0Marker.UNDEFINED:
                return Undefined.VALUE;
            case Amf0Marker.OBJECT:
                return readProperties(in, enter(depth));
            case Amf0Marker.ECMA_ARRAY:
                need(in, 4, "AMF0 ECMA array count");
                in.skipBytes(4); // only a hint (§2.10); the end marker is what counts
                return new EcmaArray(readProperties(in, enter(depth)));
            case Amf0Marker.TYPED_OBJECT:
                String className = readShortString(in, "AMF0 typed object class name");
                return new TypedObject(className, readProperties(in, enter(depth)));
            case Amf0Marker.STRICT_ARRAY:
                return readStrictArray(in, enter(depth));
            case Amf0Marker.DATE:
                need(in, DATE_BYTES, "AMF0 date");
                double millis = in.readDouble();
                in.skipBytes(2); // reserved time zone
                return new AmfDate(millis);
            case Amf0Marker.AVMPLUS:
                return Amf3Decoder.read(in);
            case Amf0Marker.REFERENCE:
                throw new WireException("AMF0 references are not accepted");
            case Amf0Marker.OBJECT_END:
                throw new WireException("AMF0 object end marker outside an object");
            default:
                throw new WireException("AMF0 type marker 0x" + Integer.toHexString(marker) + " is not supported");
        }
    }

    private static int enter(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new WireException("AMF0 values nest deeper than " + MAX_DEPTH);
        }
        return depth + 1;
    }

    /** Reads {@code u16 keyLength | key | value} pairs up to the empty key and object end (§2.5). */
    private static Map<String, Object> readProperties(ByteBuf in, int depth) {
        Map<String, Object> properties = new LinkedHashMap<>();
        while (true) {
            String key = readShortString(in, "AMF0 property name");
            if (key.isEmpty() && in.isReadable() && in.getUnsignedByte(in.readerIndex()) == Amf0Marker.OBJECT_END) {
                in.skipBytes(1);
                return properties;
            }
            properties.put(key, read(in, depth));
        }
    }

    private static List<Object> readStrictArray(ByteBuf in, int depth) {
        need(in, 4, "AMF0 strict array count");
        long count = in.readUnsignedInt();
        if (count > in.readableBytes()) { // every element takes at least its marker byte
            throw new WireException("AMF0 strict array claims " + count + " elements but only "
                    + in.readableBytes() + " bytes remain");
        }
        List<Object> elements = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            elements.add(read(in, depth));
        }
        return elements;
    }

    private static String readShortString(ByteBuf in, String what) {
        need(in, 2, what + " length");
        return readUtf8(in, in.readUnsignedShort(), what);
    }

    /** Reads {@code length} bytes of UTF-8; shared with {@link Amf3Decoder}. */
    static String readUtf8(ByteBuf in, long length, String what) {
        need(in, length, what);
        String s = in.toString(in.readerIndex(), (int) length, StandardCharsets.UTF_8);
        in.skipBytes((int) length);
        return s;
    }

    static void need(ByteBuf in, long n, String what) {
        if (n > in.readableBytes()) {
            throw new WireException(what + " needs " + n + " bytes but only " + in.readableBytes() + " remain");
        }
    }
}
