package org.rtmfpd.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
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
            case GROUP_5 -> 1536;
            case GROUP_14 -> 2048;
            case GROUP_16 -> 4096;
        };
        assertEquals(expectedBits, group.prime().bitLength());
        assertTrue(group.prime().isProbablePrime(20));
        assertEquals(group, DhGroup.byId(group.id()).orElseThrow());
    }

    /** Exponents are twice the group's security strength (SP 800-56A rev. 3 §5.6.1.1.4), never shorter. */
    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void privateExponentsAreTwiceTheSecurityStrength(DhGroup group) {
        int strength = switch (group) {
            case GROUP_2 -> 80;
            case GROUP_5, GROUP_14 -> 112;
            case GROUP_16 -> 152;
        };
        assertEquals(strength, group.securityStrength());
        assertEquals(2 * strength, group.privateKeyBits());
        for (int i = 0; i < 20; i++) {
            int bits = group.generateKeyPair(random).privateExponent().bitLength();
            assertTrue(bits <= 2 * strength && bits >= 2 * strength - 8, "exponent of " + bits + " bits");
        }
    }

    /**
     * Pins each prime to its RFC: p = 2^n - 2^(n-64) - 1 + 2^64 * floor(2^(n-130) pi + k) has 64 one bits
     * at each end, and the SHA-256 of its n/8 big-endian bytes was taken from the hex of RFC 2409 §6.2
     * (group 2) and RFC 3526 §3 and §5 (groups 14 and 16) as copied into this project before the
     * parameters came from Bouncy Castle.
     */
    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void primesAreTheRfcOnes(DhGroup group) throws Exception {
        record Known(int bits, String sha256) {
        }
        Known known = switch (group) {
            case GROUP_2 -> new Known(1024, "3f35a3f5f6c4376a744acad409bb22f8d897f949d2311d885adaa890981b67a0");
            case GROUP_5 -> new Known(1536, "64fcc83ec403930bf18393dbc883ccaa1fbb08ac876f77f7aa99748ca945019b");
            case GROUP_14 -> new Known(2048, "d66436f79bbd6b2e38c0ffbd079be904d2641415e2e67140e09448be9a60890e");
            case GROUP_16 -> new Known(4096, "4ee95187682bcb230ad26a95205f6920e84708f6251b3894329b09ec23919e33");
        };
        BigInteger p = group.prime();
        BigInteger ones64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        assertEquals(known.bits(), p.bitLength());
        assertEquals(ones64, p.shiftRight(known.bits() - 64), "top 64 bits are FFFFFFFFFFFFFFFF");
        assertEquals(ones64, p.and(ones64), "bottom 64 bits are FFFFFFFFFFFFFFFF");
        byte[] bytes = Integers.toMinimalBytes(p);
        assertEquals(known.bits() / 8, bytes.length);
        assertEquals(known.sha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertEquals(BigInteger.TWO, group.generator());
    }

    /**
     * The primes from their definition, independently of any copy: 2^n - 2^(n-64) - 1 + 2^64 *
     * (floor(2^(n-130) pi) + k), with k = 129093 (RFC 2409 §6.2), 741804, 124476 and 240904 (RFC 3526 §2, §3, §5).
     */
    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void primesFollowTheRfcFormula(DhGroup group) {
        int n = group.prime().bitLength();
        long k = switch (group) {
            case GROUP_2 -> 129_093;
            case GROUP_5 -> 741_804;
            case GROUP_14 -> 124_476;
            case GROUP_16 -> 240_904;
        };
        BigInteger p = BigInteger.ONE.shiftLeft(n).subtract(BigInteger.ONE.shiftLeft(n - 64)).subtract(BigInteger.ONE)
                .add(piTimesTwoTo(n - 130).add(BigInteger.valueOf(k)).shiftLeft(64));
        assertEquals(p, group.prime());
    }

    /** floor(pi * 2^bits), by Machin's formula pi = 16 arctan(1/5) - 4 arctan(1/239) with 64 guard bits. */
    private static BigInteger piTimesTwoTo(int bits) {
        BigInteger one = BigInteger.ONE.shiftLeft(bits + 64);
        BigInteger pi = arctanOfInverse(5, one).shiftLeft(4).subtract(arctanOfInverse(239, one).shiftLeft(2));
        return pi.shiftRight(64);
    }

    /** arctan(1/x) * one, by its Taylor series. */
    private static BigInteger arctanOfInverse(int x, BigInteger one) {
        BigInteger xSquared = BigInteger.valueOf((long) x * x);
        BigInteger term = one.divide(BigInteger.valueOf(x));
        BigInteger sum = term;
        for (int i = 1; term.signum() != 0; i++) {
            term = term.divide(xSquared);
            BigInteger t = term.divide(BigInteger.valueOf(2L * i + 1));
            sum = i % 2 == 1 ? sum.subtract(t) : sum.add(t);
        }
        return sum;
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
