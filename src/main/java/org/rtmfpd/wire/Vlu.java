package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;

/**
 * Turns Variable Length Unsigned integers (RFC 7016 §2.1.2) into longs and back: base-128, most
 * significant group first, bit 0x80 set on every byte but the last. There is no fixed maximum width;
 * values beyond 63 bits saturate at {@link Long#MAX_VALUE}, as the reference implementation saturates.
 */
public final class Vlu {
    private static final int CONTINUE = 0x80;
    private static final int DIGIT = 0x7f;

    private Vlu() {
    }

    /** Reads one VLU; throws {@link WireException} if it runs past the readable bytes. */
    public static long read(ByteBuf in) {
        long value = 0;
        while (true) {
            if (!in.isReadable()) {
                throw new WireException("VLU runs past the end of its buffer");
            }
            int b = in.readUnsignedByte();
            value = (value > (Long.MAX_VALUE >>> 7)) ? Long.MAX_VALUE : (value << 7) | (b & DIGIT);
            if ((b & CONTINUE) == 0) {
                return value;
            }
        }
    }

    /** Reads one VLU that must fit an int (lengths, flow IDs in practice). */
    public static int readInt(ByteBuf in) {
        long v = read(in);
        if (v > Integer.MAX_VALUE) {
            throw new WireException("VLU value " + v + " is too large here");
        }
        return (int) v;
    }

    public static void write(ByteBuf out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("VLU cannot encode a negative value: " + value);
        }
        int n = size(value);
        for (int i = n - 1; i >= 0; i--) {
            int digit = (int) (value >>> (7 * i)) & DIGIT;
            out.writeByte(i == 0 ? digit : digit | CONTINUE);
        }
    }

    /** Number of bytes {@link #write} uses for {@code value}. */
    public static int size(long value) {
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }
}
