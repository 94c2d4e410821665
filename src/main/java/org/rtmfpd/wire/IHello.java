package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Turns an Initiator Hello chunk (RFC 7016 §2.3.2), {@code F(epd) | tag(rest)}, into an endpoint
 * discriminator and a tag and back. Tags longer than {@link Limits#MAX_IHELLO_TAG} are refused, so a
 * server never echoes more than that (amplification).
 */
public record IHello(byte[] epd, byte[] tag) implements Chunk {
    public static final int TYPE = 0x30; // RFC 7016 §2.3.2

    public IHello {
        epd = epd.clone();
        tag = tag.clone();
        if (tag.length > Limits.MAX_IHELLO_TAG) {
            throw new IllegalArgumentException("IHello tag of " + tag.length + " bytes exceeds "
                    + Limits.MAX_IHELLO_TAG);
        }
    }

    public static IHello decode(ByteBuf payload) {
        byte[] epd = Field.read(payload);
        if (payload.readableBytes() > Limits.MAX_IHELLO_TAG) {
            throw new WireException("IHello tag of " + payload.readableBytes() + " bytes exceeds "
                    + Limits.MAX_IHELLO_TAG);
        }
        return new IHello(epd, ByteBufs.rest(payload));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        Field.write(out, epd);
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
        return o instanceof IHello other && Arrays.equals(epd, other.epd) && Arrays.equals(tag, other.tag);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(epd) + Arrays.hashCode(tag);
    }

    @Override
    public String toString() {
        return "IHello[epd=" + ByteBufs.hex(epd) + ", tag=" + ByteBufs.hex(tag) + "]";
    }
}
