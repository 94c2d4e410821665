package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Turns a chunk of a type this layer does not model into its type and raw payload and back, so that a
 * receiver can skip it (RFC 7016 §2.3: unknown chunks are ignored). Packet Fragment chunks
 * ({@link #FRAGMENT}, RFC 7016 §2.3.1) arrive this way too: rtmfpd does not reassemble them.
 */
public record Unknown(int type, byte[] payload) implements Chunk {
    /** Packet Fragment (RFC 7016 §2.3.1). */
    public static final int FRAGMENT = 0x7f;

    /**
     * @throws IllegalArgumentException if {@code type} is not a byte, is the padding byte 0xff, or has
     *     its own record (it would not read back as {@code Unknown})
     */
    public Unknown {
        if (type < 0 || type >= Chunks.PADDING || Chunks.isModelled(type)) {
            throw new IllegalArgumentException("0x" + Integer.toHexString(type) + " is not an unknown chunk type");
        }
        payload = payload.clone();
    }

    public static Unknown decode(int type, ByteBuf payload) {
        return new Unknown(type, ByteBufs.rest(payload));
    }

    @Override
    public void encodePayload(ByteBuf out) {
        out.writeBytes(payload);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Unknown other && type == other.type && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Unknown[type=0x" + Integer.toHexString(type) + ", payload=" + ByteBufs.hex(payload) + "]";
    }
}
