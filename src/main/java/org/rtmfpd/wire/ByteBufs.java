package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Small conversions between Netty buffers and byte arrays. */
public final class ByteBufs {
    private ByteBufs() {
    }

    /** Copies the readable bytes of {@code buf} into a new array (the buffer is not consumed). */
    public static byte[] toArray(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    /** Reads exactly {@code n} bytes or throws {@link WireException}. */
    public static byte[] read(ByteBuf in, int n, String what) {
        if (n < 0 || n > in.readableBytes()) {
            throw new WireException(what + " needs " + n + " bytes but only " + in.readableBytes() + " remain");
        }
        byte[] out = new byte[n];
        in.readBytes(out);
        return out;
    }

    /** Reads all remaining bytes. */
    public static byte[] rest(ByteBuf in) {
        byte[] out = new byte[in.readableBytes()];
        in.readBytes(out);
        return out;
    }
}
