package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;

/**
 * Turns a region of a buffer into its 16-bit Internet checksum (RFC 1071), the one the Flash profile
 * (RFC 7425) puts in front of each plaintext packet when no HMAC is negotiated: big-endian words summed,
 * carries folded back in, the result complemented. A last odd byte is added as the low-order byte, as
 * rtmfp-cpp and Cumulus add it.
 */
public final class Checksum {
    private static final int WORD_MASK = 0xffff;
    private static final int WORD_BITS = 16;

    private Checksum() {
    }

    /** The checksum of {@code length} bytes of {@code buf} from {@code index}; indexes are not moved. */
    public static int of(ByteBuf buf, int index, int length) {
        long sum = 0;
        int end = index + length;
        int i = index;
        for (; i + 1 < end; i += 2) {
            sum += buf.getUnsignedShort(i);
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i);
        }
        while ((sum >>> WORD_BITS) != 0) {
            sum = (sum & WORD_MASK) + (sum >>> WORD_BITS);
        }
        return (int) ~sum & WORD_MASK;
    }
}
