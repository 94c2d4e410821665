package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;

/**
 * Turns a Buffer Probe chunk (RFC 7016 §2.3.15), {@code VLU flowID}, into the flow ID and back.
 * Bytes after the flow ID are ignored, as the reference implementation ignores them.
 */
public record BufferProbe(long flowId) implements Chunk {
    public static final int TYPE = 0x18; // RFC 7016 §2.3.15

    public BufferProbe {
        if (flowId < 0) {
            throw new IllegalArgumentException("flow ID must not be negative: " + flowId);
        }
    }

    public static BufferProbe decode(ByteBuf payload) {
        return new BufferProbe(Vlu.read(payload));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        Vlu.write(out, flowId);
    }
}
