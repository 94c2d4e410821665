package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Turns a Responder Hello chunk (RFC 7016 §2.3.4), {@code F(tagEcho) | F(cookie) |
 * responderCertificate(rest)}, into its three byte strings and back.
 */
public record RHello(byte[] tagEcho, byte[] cookie, byte[] certificate) implements Chunk {
    public static final int TYPE = 0x70; // RFC 7016 §2.3.4

    public RHello {
        tagEcho = tagEcho.clone();
        cookie = cookie.clone();
        certificate = certificate.clone();
    }

    public static RHello decode(ByteBuf payload) {
        byte[] tagEcho = Field.read(payload);
        byte[] cookie = Field.read(payload);
        return new RHello(tagEcho, cookie, ByteBufs.rest(payload));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        Field.write(out, tagEcho);
        Field.write(out, cookie);
        out.writeBytes(certificate);
    }

    @Override
    public byte[] tagEcho() {
        return tagEcho.clone();
    }

    @Override
    public byte[] cookie() {
        return cookie.clone();
    }

    @Override
    public byte[] certificate() {
        return certificate.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RHello other && Arrays.equals(tagEcho, other.tagEcho)
                && Arrays.equals(cookie, other.cookie) && Arrays.equals(certificate, other.certificate);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {tagEcho, cookie, certificate});
    }

    @Override
    public String toString() {
        return "RHello[tagEcho=" + ByteBufs.hex(tagEcho) + ", cookie=" + ByteBufs.hex(cookie)
                + ", certificate=" + ByteBufs.hex(certificate) + "]";
    }
}
