package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns a Forwarded Initiator Hello chunk (RFC 7016 §2.3.3), {@code F(epd) | replyAddress | tag(rest)},
 * into the initiator's endpoint discriminator, its address and its tag, and back.
 */
public record ForwardedIHello(byte[] epd, PeerAddress replyAddress, byte[] tag) implements Chunk {
    public static final int TYPE = 0x0f; // RFC 7016 §2.3.3

    public ForwardedIHello {
        epd = epd.clone();
        Objects.requireNonNull(replyAddress, "replyAddress");
        tag = tag.clone();
    }

    public static ForwardedIHello decode(ByteBuf payload) {
        byte[] epd = Field.read(payload);
        PeerAddress replyAddress = PeerAddress.read(payload);
        return new ForwardedIHello(epd, replyAddress, ByteBufs.rest(payload));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        Field.write(out, epd);
        replyAddress.write(out);
        out.writeBytes(tag);
    }

    @Override
    public byte[] epd() {
        return epd.clone();
    }

    @Override
    public byte[] tag() {
        return tag.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ForwardedIHello other && Arrays.equals(epd, other.epd)
                && replyAddress.equals(other.replyAddress) && Arrays.equals(tag, other.tag);
    }

    @Override
    public int hashCode() {
        return 31 * replyAddress.hashCode() + Arrays.deepHashCode(new Object[] {epd, tag});
    }

    @Override
    public String toString() {
        return "ForwardedIHello[epd=" + ByteBufs.hex(epd) + ", replyAddress=" + replyAddress
                + ", tag=" + ByteBufs.hex(tag) + "]";
    }
}
