package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** Turns a Ping Reply chunk (RFC 7016 §2.3.10), whose payload echoes a Ping's body, into that body and back. */
public record PingReply(byte[] body) implements Chunk {
    public static final int TYPE = 0x41; // RFC 7016 §2.3.10

    public PingReply {
        body = body.clone();
    }

    public static PingReply decode(ByteBuf payload) {
        return new PingReply(ByteBufs.rest(payload));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        out.writeBytes(body);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PingReply other && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "PingReply[body=" + ByteBufs.hex(body) + "]";
    }
}
