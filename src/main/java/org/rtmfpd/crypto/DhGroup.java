package org.rtmfpd.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Optional;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.crypto.params.DHParameters;

/**
 * The MODP Diffie-Hellman groups of RFC 7425 §4.2, each turning a private exponent and a peer's public
 * key into a minimal-length shared secret. Group 2 (RFC 2409 §6.2) is mandatory; groups 14 and 16
 * (RFC 3526) are optional. The generator is 2 for all three.
 *
 * <p>The primes and generators come from Bouncy Castle's {@link DHStandardGroups}; the arithmetic is the
 * JDK's {@link BigInteger#modPow}, which measured faster than Bouncy Castle's agreement
 * (docs/benchmarks.md).
 *
 * <p>Private exponents are twice the group's security strength long (NIST SP 800-56A rev. 3
 * §5.6.1.1.4: a key pair of a safe-prime group may take its private key from [1, 2^N − 1] with
 * 2s ≤ N; strengths from SP 800-57 part 1 rev. 5 table 2 and SP 800-56A rev. 3 appendix D):
 * the cost of an exponentiation grows with the exponent's length, and a longer one adds no strength
 * beyond the group's. docs/architecture.md, "Keying cost", gives the argument.
 */
public enum DhGroup {
    /** 1024-bit MODP (RFC 2409 §6.2): 80-bit strength, 160-bit exponents. */
    GROUP_2(2, 80, DHStandardGroups.rfc2409_1024),
    /**
     * The 1536-bit group of RFC 3526 §2, which Stratus listed in its RHello between 2 and 14. NIST gives
     * no figure; the number field sieve estimate is about 97 bits, taken up to 112 as for 2048 bits.
     */
    GROUP_5(5, 112, DHStandardGroups.rfc3526_1536),
    /** 2048-bit MODP (RFC 3526 §3): 112-bit strength, 224-bit exponents. */
    GROUP_14(14, 112, DHStandardGroups.rfc3526_2048),
    /** 4096-bit MODP (RFC 3526 §5): 152-bit strength (SP 800-56A rev. 3 appendix D), 304-bit exponents. */
    GROUP_16(16, 152, DHStandardGroups.rfc3526_4096);

    /** Public keys below 2^24 or above p - 2^24 are refused (RFC 7425 §4.6.2). */
    private static final int KEY_RANGE_MARGIN_BITS = 24;
    /** A public key needs at least this many one bits and this many zero bits (RFC 7425 §4.6.2). */
    private static final int MIN_BITS_OF_EACH_VALUE = 16;

    private final int id;
    private final int securityStrength;
    private final int privateKeyBits;
    private final BigInteger prime;
    private final BigInteger generator;
    private final BigInteger maxPublicKey;
    private static final BigInteger MIN_PUBLIC_KEY = BigInteger.ONE.shiftLeft(KEY_RANGE_MARGIN_BITS);

    DhGroup(int id, int securityStrength, DHParameters parameters) {
        this.id = id;
        this.securityStrength = securityStrength;
        this.privateKeyBits = 2 * securityStrength;
        this.prime = parameters.getP();
        this.generator = parameters.getG();
        this.maxPublicKey = prime.subtract(BigInteger.ONE.shiftLeft(KEY_RANGE_MARGIN_BITS));
    }

    /** The group number used on the wire (options 0x0d, 0x15, 0x1d). */
    public int id() {
        return id;
    }

    /** The group's security strength in bits, as NIST estimates it. */
    public int securityStrength() {
        return securityStrength;
    }

    /** Length in bits of the private exponents made by {@link #generateKeyPair}: twice the strength. */
    public int privateKeyBits() {
        return privateKeyBits;
    }

    public BigInteger prime() {
        return prime;
    }

    public BigInteger generator() {
        return generator;
    }

    public static Optional<DhGroup> byId(long id) {
        for (DhGroup group : values()) {
            if (group.id == id) {
                return Optional.of(group);
            }
        }
        return Optional.empty();
    }

    /** Makes a fresh key pair with a random private exponent of this group's size. */
    public DhKeyPair generateKeyPair(SecureRandom random) {
        BigInteger x;
        do {
            x = new BigInteger(privateKeyBits, random);
        } while (x.bitLength() < privateKeyBits - 8);
        return keyPair(x);
    }

    /** The key pair for a given private exponent (fixed exponents reproduce test vectors). */
    public DhKeyPair keyPair(BigInteger privateExponent) {
        return new DhKeyPair(this, privateExponent, generator.modPow(privateExponent, prime));
    }

    /**
     * Checks a peer's public key (RFC 7425 §4.6.2): within [2^24, p - 2^24], with at least 16 one bits
     * and 16 zero bits below its highest set bit.
     */
    public boolean isAcceptablePublicKey(BigInteger y) {
        if (y.compareTo(MIN_PUBLIC_KEY) < 0 || y.compareTo(maxPublicKey) > 0) {
            return false;
        }
        int ones = y.bitCount();
        int zeros = y.bitLength() - ones;
        return ones >= MIN_BITS_OF_EACH_VALUE && zeros >= MIN_BITS_OF_EACH_VALUE;
    }

    /**
     * The shared secret with {@code peerPublicKey}, big-endian and minimal length (no sign byte, no
     * zero padding), or empty when the peer's key fails {@link #isAcceptablePublicKey}.
     */
    public Optional<byte[]> agree(BigInteger privateExponent, byte[] peerPublicKey) {
        BigInteger y = new BigInteger(1, peerPublicKey);
        if (!isAcceptablePublicKey(y)) {
            return Optional.empty();
        }
        return Optional.of(Integers.toMinimalBytes(y.modPow(privateExponent, prime)));
    }
}
