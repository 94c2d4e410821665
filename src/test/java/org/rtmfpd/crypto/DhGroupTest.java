package org.rtmfpd.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DhGroupTest {
    private final SecureRandom random = new SecureRandom(new byte[] {1});

    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void bothSidesAgreeAndPrimeHasTheRightSize(DhGroup group) {
        DhKeyPair a = group.generateKeyPair(random);
        DhKeyPair b = group.generateKeyPair(random);
        assertArrayEquals(a.agree(b.publicKeyBytes()).orElseThrow(), b.agree(a.publicKeyBytes()).orElseThrow());
        int expectedBits = switch (group) {
            case GROUP_2 -> 1024;
            case GROUP_14 -> 2048;
            case GROUP_16 -> 4096;
        };
        assertEquals(expectedBits, group.prime().bitLength());
        assertTrue(group.prime().isProbablePrime(20));
        assertEquals(group, DhGroup.byId(group.id()).orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void weakPublicKeysAreRefused(DhGroup group) {
        BigInteger p = group.prime();
        BigInteger limit = BigInteger.ONE.shiftLeft(24);
        assertFalse(group.isAcceptablePublicKey(BigInteger.ONE));
        assertFalse(group.isAcceptablePublicKey(limit.subtract(BigInteger.ONE)));
        assertFalse(group.isAcceptablePublicKey(p.subtract(BigInteger.ONE)));
        assertFalse(group.isAcceptablePublicKey(p.subtract(limit).add(BigInteger.ONE)));
        assertFalse(group.isAcceptablePublicKey(BigInteger.ONE.shiftLeft(100)), "too few one bits");
        assertFalse(group.isAcceptablePublicKey(BigInteger.ONE.shiftLeft(40).subtract(BigInteger.ONE)), "too few zero bits");
        assertTrue(group.agree(BigInteger.TEN, new byte[] {1}).isEmpty());
        DhKeyPair pair = group.generateKeyPair(random);
        assertTrue(group.isAcceptablePublicKey(pair.publicKey()));
    }

    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void keysWithALeadingZeroByteAreParsedAsUnsigned(DhGroup group) {
        DhKeyPair a = group.generateKeyPair(random);
        DhKeyPair b = group.generateKeyPair(random);
        byte[] key = b.publicKeyBytes();
        byte[] padded = new byte[key.length + 1];
        System.arraycopy(key, 0, padded, 1, key.length);
        assertArrayEquals(a.agree(key).orElseThrow(), a.agree(padded).orElseThrow());
    }
}
