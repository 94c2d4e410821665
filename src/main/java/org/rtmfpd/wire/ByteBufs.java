package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Turns Netty buffers into byte arrays and fixed-width integers, failing with {@link WireException}. */
public final class ByteBufs {
    private ByteBufs() {
    }

    /** Copies the readable bytes of {@code buf} into a new array (the buffer is not consumed). */
    public static byte[] toArray(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    /** Reads exactly {@code n} bytes or throws {@link WireException}. */
    public static byte[] read(ByteBuf in, int n, String what) {
        require(in, n, what);
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

    /** Reads one unsigned byte or throws {@link WireException}. */
    public static int readUnsignedByte(ByteBuf in, String what) {
        require(in, Byte.BYTES, what);
        return in.readUnsignedByte();
    }

    /** Reads one big-endian unsigned 16-bit integer or throws {@link WireException}. */
    public static int readUnsignedShort(ByteBuf in, String what) {
        require(in, Short.BYTES, what);
        return in.readUnsignedShort();
    }

    /** Reads one big-endian 32-bit integer or throws {@link WireException}. */
    public static int readInt(ByteBuf in, String what) {
        require(in, Integer.BYTES, what);
        return in.readInt();
    }

    /** Lowercase hex of {@code bytes}, for messages and {@code toString}. */
    public static String hex(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes);
    }

    private static void require(ByteBuf in, int n, String what) {
        if (n < 0 || n > in.readableBytes()) {
            throw new WireException(what + " needs " + n + " bytes but only " + in.readableBytes() + " remain");
        }
    }
}
