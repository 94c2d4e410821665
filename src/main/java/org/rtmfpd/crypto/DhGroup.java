package org.rtmfpd.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The MODP Diffie-Hellman groups of RFC 7425 §4.2, each turning a private exponent and a peer's public
 * key into a minimal-length shared secret. Group 2 (RFC 2409 §6.2) is mandatory; groups 14 and 16
 * (RFC 3526) are optional. The generator is 2 for all three.
 */
public enum DhGroup {
    GROUP_2(2, 224, """
            FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD\
            EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
            EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF"""),
    GROUP_14(14, 256, """
            FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD\
            EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
            EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F\
            83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B\
            E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510\
            15728E5A8AACAA68FFFFFFFFFFFFFFFF"""),
    GROUP_16(16, 320, """
            FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD\
            EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
            EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F\
            83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B\
            E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510\
            15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7\
            ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C\
            BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A92108011A723C12A787E6D7\
            88719A10BDBA5B2699C327186AF4E23C1A946834B6150BDA2583E9CA2AD44CE8DBBBC2DB04DE8EF92E8EFC141FBECAA6\
            287C59474E6BC05D99B2964FA090C3A2233BA186515BE7ED1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA9\
            93B4EA988D8FDDC186FFB7DC90A6C08F4DF435C934063199FFFFFFFFFFFFFFFF""");

    /** Public keys below 2^24 or above p - 2^24 are refused (RFC 7425 §4.6.2). */
    private static final int KEY_RANGE_MARGIN_BITS = 24;
    /** A public key needs at least this many one bits and this many zero bits (RFC 7425 §4.6.2). */
    private static final int MIN_BITS_OF_EACH_VALUE = 16;
    private static final BigInteger GENERATOR = BigInteger.TWO;

    private final int id;
    private final int privateKeyBits;
    private final BigInteger prime;
    private final BigInteger maxPublicKey;
    private static final BigInteger MIN_PUBLIC_KEY = BigInteger.ONE.shiftLeft(KEY_RANGE_MARGIN_BITS);

    DhGroup(int id, int privateKeyBits, String primeHex) {
        this.id = id;
        this.privateKeyBits = privateKeyBits;
        this.prime = new BigInteger(primeHex, 16);
        this.maxPublicKey = prime.subtract(BigInteger.ONE.shiftLeft(KEY_RANGE_MARGIN_BITS));
    }

    /** The group number used on the wire (options 0x0d, 0x15, 0x1d). */
    public int id() {
        return id;
    }

    public BigInteger prime() {
        return prime;
    }

    public BigInteger generator() {
        return GENERATOR;
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
        return new DhKeyPair(this, privateExponent, GENERATOR.modPow(privateExponent, prime));
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
