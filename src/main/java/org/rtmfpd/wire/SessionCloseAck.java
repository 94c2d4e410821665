package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;

/**
 * Turns a Session Close Acknowledgement chunk (RFC 7016 §2.3.18), which has an empty payload, into a
 * value and back. A payload that is not empty is ignored.
 */
public record SessionCloseAck() implements Chunk {
    public static final int TYPE = 0x4c; // RFC 7016 §2.3.18

    public static SessionCloseAck decode(ByteBuf payload) {
        return new SessionCloseAck();
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        // the payload is empty
    }
}
