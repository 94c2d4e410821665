package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Turns a Responder Initial Keying chunk (RFC 7016 §2.3.8), {@code RSID(4) | F(SKRC) |
 * signature(rest)}, into its parts and back. The session ID is four opaque bytes, read big-endian.
 */
public record RIKeying(int responderSessionId, byte[] skrc, byte[] signature) implements Chunk {
    public static final int TYPE = 0x78; // RFC 7016 §2.3.8

    public RIKeying {
        skrc = skrc.clone();
        signature = signature.clone();
    }

    public static RIKeying decode(ByteBuf payload) {
        int responderSessionId = ByteBufs.readInt(payload, "RIKeying session ID");
        byte[] skrc = Field.read(payload);
        return new RIKeying(responderSessionId, skrc, ByteBufs.rest(payload));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        out.writeInt(responderSessionId);
        Field.write(out, skrc);
        out.writeBytes(signature);
    }

    @Override
    public byte[] skrc() {
        return skrc.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RIKeying other && responderSessionId == other.responderSessionId
                && Arrays.equals(skrc, other.skrc) && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * responderSessionId + Arrays.deepHashCode(new Object[] {skrc, signature});
    }

    @Override
    public String toString() {
        return "RIKeying[responderSessionId=" + String.format("%08x", responderSessionId)
                + ", skrc=" + ByteBufs.hex(skrc) + ", signature=" + ByteBufs.hex(signature) + "]";
    }
}
