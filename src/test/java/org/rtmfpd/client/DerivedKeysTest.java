package org.rtmfpd.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.DhKeyPair;

class DerivedKeysTest {
    private static final SecureRandom RANDOM = new SecureRandom(new byte[] {7});
    private static final DhGroup G2 = DhGroup.GROUP_2;

    @Test
    void eachIdentityIsAnOrdinaryGroupTwoKeyPairWithItsOwnPeerId() {
        DerivedKeys family = DerivedKeys.generate(RANDOM);
        Set<String> peerIds = new HashSet<>();
        BigInteger previous = null;
        for (int i = 0; i < 200; i++) {
            ClientIdentity identity = family.next();
            DhKeyPair pair = identity.keyPair(G2).orElseThrow();
            assertEquals(G2.generator().modPow(pair.privateExponent(), G2.prime()), pair.publicKey());
            assertTrue(G2.isAcceptablePublicKey(pair.publicKey()));
            if (previous != null) {
                assertEquals(1, pair.privateExponent().subtract(previous).signum());
            }
            previous = pair.privateExponent();
            assertTrue(peerIds.add(identity.peerIdHex()));
        }
    }

    @Test
    void agreementsMatchTheFullExponentiationForNewKeptAndForeignFarKeys() {
        DerivedKeys family = DerivedKeys.generate(RANDOM);
        DhKeyPair server = G2.generateKeyPair(RANDOM);
        for (int i = 0; i < 5; i++) { // the first sight computes in full, the second keeps Y^x0, the rest use it
            ClientIdentity client = family.next();
            byte[] expected = client.keyPair(G2).orElseThrow().agree(server.publicKeyBytes()).orElseThrow();
            assertArrayEquals(expected, client.agree(G2, server.publicKeyBytes()).orElseThrow());
            assertArrayEquals(expected, server.agree(client.keyPair(G2).orElseThrow().publicKeyBytes()).orElseThrow());
        }
        for (int i = 0; i < DerivedKeys.MAX_KEPT + 3; i++) { // far keys past the table's size
            DhKeyPair peer = G2.generateKeyPair(RANDOM);
            ClientIdentity client = family.next();
            for (int k = 0; k < 2; k++) {
                assertArrayEquals(client.keyPair(G2).orElseThrow().agree(peer.publicKeyBytes()).orElseThrow(),
                        client.agree(G2, peer.publicKeyBytes()).orElseThrow());
            }
        }
    }

    @Test
    void aFarKeyThatFailsTheChecksIsRefused() {
        ClientIdentity client = DerivedKeys.generate(RANDOM).next();
        assertFalse(client.agree(G2, new byte[] {0x01, 0x00}).isPresent());
        assertFalse(client.agree(G2, G2.prime().subtract(BigInteger.ONE).toByteArray()).isPresent());
    }
}
