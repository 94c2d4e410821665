package org.rtmfpd.flash.amf;

import io.netty.buffer.ByteBuf;
import org.rtmfpd.wire.WireException;

/**
 * Turns the one AMF3 value that follows an AMF0 switch marker into a Java value (AMF3
 * Specification §3): undefined, null, false, true, integer and double (both as {@link Double}, as
 * AMF0 numbers are) and inline strings. This covers what an AMF3 client puts in the commands a
 * rendezvous server reads; every other AMF3 type, and string references (a lone value has no
 * string table to refer to), throw {@link WireException}.
 */
final class Amf3Decoder {
    private static final int UNDEFINED = 0x00; // §3.2
    private static final int NULL = 0x01;      // §3.3
    private static final int FALSE = 0x02;     // §3.4
    private static final int TRUE = 0x03;      // §3.5
    private static final int INTEGER = 0x04;   // §3.6
    private static final int DOUBLE = 0x05;    // §3.7
    private static final int STRING = 0x06;    // §3.8

    /** U29 (§1.3.1): three 7-bit groups with a continuation bit, then one full 8-bit group. */
    private static final int U29_GROUPS_OF_7 = 3;
    private static final int U29_CONTINUE = 0x80;
    private static final int U29_DIGIT = 0x7f;
    /** Shift that sign-extends a 29-bit integer held in an int. */
    private static final int INT29_SIGN_SHIFT = 3;
    /** Low bit of a string's U29 header: 1 = inline length follows, 0 = reference (§3.8). */
    private static final int INLINE = 0x01;

    private Amf3Decoder() {
    }

    static Object read(ByteBuf in) {
        Amf0Decoder.need(in, 1, "AMF3 type marker");
        int marker = in.readUnsignedByte();
        switch (marker) {
            case UNDEFINED:
                return Undefined.VALUE;
            case NULL:
                return null;
            case FALSE:
                return Boolean.FALSE;
            case TRUE:
                return Boolean.TRUE;
            case INTEGER:
                return (double) ((readU29(in) << INT29_SIGN_SHIFT) >> INT29_SIGN_SHIFT);
            case DOUBLE:
                Amf0Decoder.need(in, 8, "AMF3 double");
                return in.readDouble();
            case STRING:
                int header = readU29(in);
                if ((header & INLINE) == 0) {
                    throw new WireException("AMF3 string references are not accepted");
                }
                return Amf0Decoder.readUtf8(in, header >>> 1, "AMF3 string");
            default:
                throw new WireException("AMF3 type marker 0x" + Integer.toHexString(marker) + " is not supported");
        }
    }

    private static int readU29(ByteBuf in) {
        int value = 0;
        for (int i = 0; i < U29_GROUPS_OF_7; i++) {
            Amf0Decoder.need(in, 1, "AMF3 U29");
            int b = in.readUnsignedByte();
            value = (value << 7) | (b & U29_DIGIT);
            if ((b & U29_CONTINUE) == 0) {
                return value;
            }
        }
        Amf0Decoder.need(in, 1, "AMF3 U29");
        return (value << 8) | in.readUnsignedByte();
    }
}
