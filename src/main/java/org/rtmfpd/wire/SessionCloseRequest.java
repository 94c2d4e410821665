package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;

/**
 * Turns a Session Close Request chunk (RFC 7016 §2.3.17), which has an empty payload, into a value and
 * back. A payload that is not empty is ignored.
 */
public record SessionCloseRequest() implements Chunk {
    public static final int TYPE = 0x0c; // RFC 7016 §2.3.17

    public static SessionCloseRequest decode(ByteBuf payload) {
        return new SessionCloseRequest();
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
