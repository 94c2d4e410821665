package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;

/** Turns a field, a VLU length followed by that many bytes (RFC 7016 §2.1.3), into a byte array and back. */
public final class Field {
    private Field() {
    }

    /** Reads one field; a length past the readable bytes throws {@link WireException} before allocating. */
    public static byte[] read(ByteBuf in) {
        int length = Vlu.readInt(in);
        if (length > in.readableBytes()) {
            throw new WireException("field of " + length + " bytes runs past its buffer ("
                    + in.readableBytes() + " left)");
        }
        byte[] value = new byte[length];
        in.readBytes(value);
        return value;
    }

    public static void write(ByteBuf out, byte[] value) {
        Vlu.write(out, value.length);
        out.writeBytes(value);
    }

    public static int size(byte[] value) {
        return Vlu.size(value.length) + value.length;
    }
}
