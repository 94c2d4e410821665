package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Turns an Initiator Initial Keying chunk (RFC 7016 §2.3.7), {@code ISID(4) | F(cookieEcho) |
 * F(initiatorCertificate) | F(SKIC) | signature(rest)}, into its parts and back. The session ID is
 * four opaque bytes, read big-endian.
 */
public record IIKeying(int initiatorSessionId, byte[] cookie, byte[] certificate, byte[] skic,
        byte[] signature) implements Chunk {
    public static final int TYPE = 0x38; // RFC 7016 §2.3.7

    public IIKeying {
        cookie = cookie.clone();
        certificate = certificate.clone();
        skic = skic.clone();
        signature = signature.clone();
    }

    public static IIKeying decode(ByteBuf payload) {
        int initiatorSessionId = ByteBufs.readInt(payload, "IIKeying session ID");
        byte[] cookie = Field.read(payload);
        byte[] certificate = Field.read(payload);
        byte[] skic = Field.read(payload);
        return new IIKeying(initiatorSessionId, cookie, certificate, skic, ByteBufs.rest(payload));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        out.writeInt(initiatorSessionId);
        Field.write(out, cookie);
        Field.write(out, certificate);
        Field.write(out, skic);
        out.writeBytes(signature);
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
    public byte[] skic() {
        return skic.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IIKeying other && initiatorSessionId == other.initiatorSessionId
                && Arrays.equals(cookie, other.cookie) && Arrays.equals(certificate, other.certificate)
                && Arrays.equals(skic, other.skic) && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * initiatorSessionId + Arrays.deepHashCode(new Object[] {cookie, certificate, skic, signature});
    }

    @Override
    public String toString() {
        return "IIKeying[initiatorSessionId=" + String.format("%08x", initiatorSessionId)
                + ", cookie=" + ByteBufs.hex(cookie) + ", certificate=" + ByteBufs.hex(certificate)
                + ", skic=" + ByteBufs.hex(skic) + ", signature=" + ByteBufs.hex(signature) + "]";
    }
}
