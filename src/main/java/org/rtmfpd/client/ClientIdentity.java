package org.rtmfpd.client;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.DhKeyPair;

/**
 * Turns static Diffie-Hellman key pairs into what a client is known by (RFC 7425 §4.3.3.5, §4.3.2): its
 * certificate, {@code 81 02 1d 02 <128-byte key>} for the Flash-like group-2 identity, and its peer ID,
 * the SHA-256 of that certificate. The static key makes the peer ID unforgeable, so make one identity per
 * client and keep it; generating one costs a modular exponentiation per group. Immutable.
 */
public final class ClientIdentity {
    /** The groups rtmfp-cpp's clients hold keys for, in their order of preference. */
    public static final List<DhGroup> RTMFP_CPP_GROUPS = List.of(DhGroup.GROUP_16, DhGroup.GROUP_14, DhGroup.GROUP_2);

    /** How an identity's static key agrees with a far end's public key. */
    @FunctionalInterface
    interface Agreement {
        /** The shared secret, minimal length, or empty when {@code farKey} fails RFC 7425 §4.6.2. */
        Optional<byte[]> agree(DhGroup group, byte[] farKey);
    }

    private final List<DhKeyPair> keyPairs;
    private final Certificate certificate;
    private final byte[] peerId;
    private final Agreement agreement;

    private ClientIdentity(List<DhKeyPair> keyPairs, Agreement agreement) {
        if (keyPairs.isEmpty()) {
            throw new IllegalArgumentException("an identity needs at least one static key pair");
        }
        List<DhGroup> seen = new ArrayList<>();
        for (DhKeyPair pair : keyPairs) {
            if (seen.contains(pair.group())) {
                throw new IllegalArgumentException("two key pairs for group " + pair.group().id());
            }
            seen.add(pair.group());
        }
        this.keyPairs = List.copyOf(keyPairs);
        this.certificate = Certificate.staticKeys(this.keyPairs);
        this.peerId = certificate.fingerprint();
        this.agreement = agreement != null ? agreement : (group, farKey) -> keyPair(group).orElseThrow().agree(farKey);
    }

    /** A Flash Player-like identity: one static group-2 key. */
    public static ClientIdentity generate(SecureRandom random) {
        return generate(List.of(DhGroup.GROUP_2), random);
    }

    /** An identity with a static key for each group, in order of preference (see {@link #RTMFP_CPP_GROUPS}). */
    public static ClientIdentity generate(List<DhGroup> groups, SecureRandom random) {
        List<DhKeyPair> pairs = new ArrayList<>();
        for (DhGroup group : groups) {
            pairs.add(group.generateKeyPair(random));
        }
        return new ClientIdentity(pairs, null);
    }

    /** An identity from existing key pairs (fixed keys reproduce test vectors), in order of preference. */
    public static ClientIdentity of(List<DhKeyPair> keyPairs) {
        return new ClientIdentity(keyPairs, null);
    }

    /** An identity whose agreements {@code agreement} computes ({@link DerivedKeys}). */
    static ClientIdentity of(List<DhKeyPair> keyPairs, Agreement agreement) {
        return new ClientIdentity(keyPairs, agreement);
    }

    public Certificate certificate() {
        return certificate;
    }

    /** SHA-256 of the certificate: this client's peer ID ({@code NetConnection.nearID} in ActionScript). */
    public byte[] peerId() {
        return peerId.clone();
    }

    /** The peer ID as 64 lowercase hex digits. */
    public String peerIdHex() {
        return HexFormat.of().formatHex(peerId);
    }

    /** The groups this identity holds static keys for, in its order of preference. */
    public List<DhGroup> groups() {
        return keyPairs.stream().map(DhKeyPair::group).toList();
    }

    public Optional<DhKeyPair> keyPair(DhGroup group) {
        return keyPairs.stream().filter(p -> p.group() == group).findFirst();
    }

    /**
     * The shared secret of this identity's static key for {@code group} (which it must hold) with
     * {@code farKey}, or empty when that key fails the checks of RFC 7425 §4.6.2.
     */
    public Optional<byte[]> agree(DhGroup group, byte[] farKey) {
        return agreement.agree(group, farKey);
    }

    @Override
    public String toString() {
        return "ClientIdentity[" + peerIdHex() + ", groups " + groups().stream().map(DhGroup::id).toList() + "]";
    }
}
