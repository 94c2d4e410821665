package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;

/**
 * Turns a Flow Exception Report chunk (RFC 7016 §2.3.16), {@code VLU flowID | VLU exceptionCode},
 * into its two numbers and back. Bytes after the code are ignored, as the reference implementation
 * ignores them.
 */
public record FlowException(long flowId, long exceptionCode) implements Chunk {
    public static final int TYPE = 0x5e; // RFC 7016 §2.3.16

    public FlowException {
        if (flowId < 0 || exceptionCode < 0) {
            throw new IllegalArgumentException("flow ID and code must not be negative: " + flowId
                    + ", " + exceptionCode);
        }
    }

    public static FlowException decode(ByteBuf payload) {
        long flowId = Vlu.read(payload);
        return new FlowException(flowId, Vlu.read(payload));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        Vlu.write(out, flowId);
        Vlu.write(out, exceptionCode);
    }
}
