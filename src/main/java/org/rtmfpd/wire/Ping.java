package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Turns a Ping chunk (RFC 7016 §2.3.9), whose whole payload is an arbitrary body, into that body and
 * back. An empty body is a keepalive.
 */
public record Ping(byte[] body) implements Chunk {
    public static final int TYPE = 0x01; // RFC 7016 §2.3.9

    public Ping {
        body = body.clone();
    }

    public static Ping decode(ByteBuf payload) {
        return new Ping(ByteBufs.rest(payload));
    }

    /** The answer the RFC requires: a Ping Reply echoing the body unchanged (RFC 7016 §2.3.10). */
    public PingReply reply() {
        return new PingReply(body);
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
        return o instanceof Ping other && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "Ping[body=" + ByteBufs.hex(body) + "]";
    }
}
