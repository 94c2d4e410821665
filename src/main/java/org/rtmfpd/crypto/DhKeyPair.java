package org.rtmfpd.crypto;

import java.math.BigInteger;
import java.util.Optional;

/** A Diffie-Hellman private exponent and its public key in one {@link DhGroup}. */
public record DhKeyPair(DhGroup group, BigInteger privateExponent, BigInteger publicKey) {

    /** The public key as sent on the wire: big-endian, minimal length (RFC 7425 §4.2). */
    public byte[] publicKeyBytes() {
        return Integers.toMinimalBytes(publicKey);
    }

    /** See {@link DhGroup#agree}. */
    public Optional<byte[]> agree(byte[] peerPublicKey) {
        return group.agree(privateExponent, peerPublicKey);
    }

    @Override
    public String toString() {
        return "DhKeyPair[group " + group.id() + "]";
    }
}
