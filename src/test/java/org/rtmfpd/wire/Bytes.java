package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/** Turns hex written with spaces, as in the protocol notes, into bytes and buffers for tests. */
final class Bytes {
    private Bytes() {
    }

    static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replaceAll("[\\s|]", ""));
    }

    static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(hex(hex));
    }

    static byte[] repeat(int value, int count) {
        byte[] out = new byte[count];
        Arrays.fill(out, (byte) value);
        return out;
    }

    /** {@code first, first+1, ...} for {@code count} bytes: recognisable filler. */
    static byte[] counting(int first, int count) {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = (byte) (first + i);
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteBuf buf = Unpooled.buffer();
        for (byte[] part : parts) {
            buf.writeBytes(part);
        }
        return ByteBufs.toArray(buf);
    }

    static byte[] encode(Chunk chunk) {
        ByteBuf buf = Unpooled.buffer();
        chunk.encode(buf);
        return ByteBufs.toArray(buf);
    }

    static byte[] payload(Chunk chunk) {
        ByteBuf buf = Unpooled.buffer();
        chunk.encodePayload(buf);
        return ByteBufs.toArray(buf);
    }
}
