package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Turns an RHello Cookie Change chunk (RFC 7016 §2.3.6), {@code F(oldCookie) | newCookie(rest)},
 * into the two cookies and back.
 */
public record CookieChange(byte[] oldCookie, byte[] newCookie) implements Chunk {
    public static final int TYPE = 0x79; // RFC 7016 §2.3.6

    public CookieChange {
        oldCookie = oldCookie.clone();
        newCookie = newCookie.clone();
    }

    public static CookieChange decode(ByteBuf payload) {
        byte[] oldCookie = Field.read(payload);
        return new CookieChange(oldCookie, ByteBufs.rest(payload));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        Field.write(out, oldCookie);
        out.writeBytes(newCookie);
    }

    @Override
    public byte[] oldCookie() {
        return oldCookie.clone();
    }

    @Override
    public byte[] newCookie() {
        return newCookie.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CookieChange other && Arrays.equals(oldCookie, other.oldCookie)
                && Arrays.equals(newCookie, other.newCookie);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {oldCookie, newCookie});
    }

    @Override
    public String toString() {
        return "CookieChange[oldCookie=" + ByteBufs.hex(oldCookie) + ", newCookie=" + ByteBufs.hex(newCookie) + "]";
    }
}
