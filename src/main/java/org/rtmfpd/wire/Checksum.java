package org.rtmfpd.wire;

/**
 * The 16-bit Internet checksum of RFC 1071, as RTMFP's Flash profile uses it (RFC 7425 §4.1): big-endian
 * words summed, carries folded, complemented; an odd last byte counts as the low-order byte.
 */
public final class Checksum {
    private Checksum() {
    }

    public static int compute(byte[] data, int offset, int length) {
        long sum = 0;
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < end) {
            sum += data[i] & 0xff;
        }
        sum = (sum >>> 16) + (sum & 0xffff);
        sum += sum >>> 16;
        return (int) ~sum & 0xffff;
    }
}
