package org.rtmfpd.client;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.DhKeyPair;

/**
 * Flash-like (group 2) client identities for a load generator, cheap to make and cheap to key with. The
 * identities of one family have the private exponents x0 + 1, x0 + 2, x0 + 3, … with x0 random and of the
 * group's length (RFC 7425 §4.2, {@link DhGroup#privateKeyBits}), so each public key is the one before
 * doubled mod p, and an agreement with a far key Y is Y^x0 · Y^d mod p: Y^x0 is kept for far keys seen
 * more than once (a server reuses its ephemeral key for a while, rtmfpd for 60 s), and Y^d has an exponent
 * of about 20 bits instead of 160. A server sees ordinary, distinct public keys and peer IDs (RFC 7425
 * §4.6.2's checks hold) and does all of its usual work.
 *
 * <p>The identities of a family share most of their secret: whoever learns one private exponent learns
 * them all. For {@code rtmfpd bench}'s simulated clients only; a real client's identity comes from
 * {@link ClientIdentity#generate}. Thread-safe.
 */
public final class DerivedKeys {
    private static final DhGroup GROUP = DhGroup.GROUP_2;
    /** Far keys whose Y^x0 is kept at most; past it the table starts again. */
    static final int MAX_KEPT = 64;

    private final BigInteger x0;
    private final BigInteger prime = GROUP.prime();
    private final Map<BigInteger, BigInteger> kept = new ConcurrentHashMap<>();
    private final Map<BigInteger, Boolean> seenOnce = new ConcurrentHashMap<>();
    private long d;
    private BigInteger y;

    /** A family with a fresh random x0. */
    public static DerivedKeys generate(SecureRandom random) {
        return new DerivedKeys(GROUP.generateKeyPair(random).privateExponent());
    }

    /** A family from a given x0 (fixed values reproduce tests). */
    DerivedKeys(BigInteger x0) {
        this.x0 = x0;
        this.y = GROUP.generator().modPow(x0, prime);
    }

    /** The next identity of the family: private exponent x0 + d for the next d whose public key passes RFC 7425 §4.6.2. */
    public ClientIdentity next() {
        BigInteger exponent;
        BigInteger publicKey;
        synchronized (this) {
            do {
                d++;
                y = y.shiftLeft(1);
                if (y.compareTo(prime) >= 0) {
                    y = y.subtract(prime);
                }
            } while (!GROUP.isAcceptablePublicKey(y));
            exponent = BigInteger.valueOf(d);
            publicKey = y;
        }
        BigInteger own = exponent;
        return ClientIdentity.of(List.of(new DhKeyPair(GROUP, x0.add(exponent), publicKey)),
                (group, farKey) -> agree(own, group, farKey));
    }

    /** Y^(x0 + d) for an identity's {@code d}, as {@link DhGroup#agree} would give it. */
    private Optional<byte[]> agree(BigInteger own, DhGroup group, byte[] farKey) {
        BigInteger far = new BigInteger(1, farKey);
        if (group != GROUP) {
            throw new IllegalArgumentException("a derived identity holds a group-2 key only");
        }
        if (!GROUP.isAcceptablePublicKey(far)) {
            return Optional.empty();
        }
        BigInteger base = kept.get(far);
        if (base == null) {
            if (seenOnce.putIfAbsent(far, Boolean.TRUE) == null) {
                if (seenOnce.size() > MAX_KEPT) {
                    seenOnce.clear();
                }
                return Optional.of(minimal(far.modPow(x0.add(own), prime))); // a peer's key, most likely: no use keeping it
            }
            if (kept.size() >= MAX_KEPT) {
                kept.clear();
            }
            base = far.modPow(x0, prime);
            kept.put(far, base);
        }
        return Optional.of(minimal(base.multiply(far.modPow(own, prime)).mod(prime)));
    }

    /** Big-endian, no sign byte (RFC 7425 §4.2), as the secret {@link DhGroup#agree} returns. */
    private static byte[] minimal(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
