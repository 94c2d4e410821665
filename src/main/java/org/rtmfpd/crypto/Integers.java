package org.rtmfpd.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/** Turns non-negative big integers into the minimal big-endian bytes of RFC 7425 §4.2 (OpenSSL BN_bn2bin). */
final class Integers {
    private Integers() {
    }

    static byte[] toMinimalBytes(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            return Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return bytes;
    }
}
