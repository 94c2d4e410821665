package org.rtmfpd.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.DhKeyPair;
import org.rtmfpd.crypto.KeyingComponent;
import org.rtmfpd.crypto.Negotiation;
import org.rtmfpd.testing.Generators;
import org.rtmfpd.testing.Mutation;
import org.rtmfpd.wire.IIKeying;

/**
 * A mutation fuzz of the IIKeying fields a responder acts on (certificate and SKIC, RFC 7425 §4.3,
 * §4.6): whatever the bytes, the check answers without throwing, whatever it accepts is consistent,
 * and the keying work on an accepted request always returns an outcome.
 */
class IIKeyingMutationPropertyTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<DhGroup> OFFERED = List.of(DhGroup.GROUP_2, DhGroup.GROUP_14);
    private static final DhKeyPair KEY_2 = DhGroup.GROUP_2.generateKeyPair(RANDOM);
    private static final DhKeyPair KEY_14 = DhGroup.GROUP_14.generateKeyPair(RANDOM);
    /** Flash Player's certificate: one group-2 key. */
    private static final byte[] FLASH_CERTIFICATE = Certificate.staticKeys(List.of(KEY_2)).encoded();
    /** rtmfp-cpp's default certificate holds keys for several groups. */
    private static final byte[] MULTI_CERTIFICATE = Certificate.staticKeys(List.of(KEY_14, KEY_2)).encoded();
    private static final byte[] FLASH_SKIC = KeyingComponent.builder().groupSelect(DhGroup.GROUP_2)
            .extraRandomness(new byte[64]).hmac(Negotiation.ON_REQUEST, 10).sseq(Negotiation.ON_REQUEST).build().encoded();
    private static final byte[] REQUIRED_SKIC = KeyingComponent.builder().groupSelect(DhGroup.GROUP_14)
            .extraRandomness(new byte[64]).hmac(Negotiation.REQUIRED, 16).sseq(Negotiation.REQUIRED).build().encoded();
    private static final ResponderKeying KEYING = new ResponderKeying(OFFERED, new EphemeralKeys(RANDOM, () -> 0, 60_000));

    @Test
    void theUnmutatedRequestsAreAccepted() {
        assertTrue(InitiatorKeying.check(iikeying(FLASH_CERTIFICATE, FLASH_SKIC), OFFERED) instanceof InitiatorKeying.Accepted);
        assertTrue(InitiatorKeying.check(iikeying(MULTI_CERTIFICATE, REQUIRED_SKIC), OFFERED) instanceof InitiatorKeying.Accepted);
    }

    @Test
    void mutatedCertificatesAndSkicsAreAnsweredWithoutThrowing() {
        int[] accepted = {0};
        Generators.forAll(3_000, r -> {
            boolean multi = r.nextBoolean();
            byte[] certificate = multi ? MULTI_CERTIFICATE : FLASH_CERTIFICATE;
            byte[] skic = multi ? REQUIRED_SKIC : FLASH_SKIC;
            int which = r.nextInt(3);
            if (which != 1) {
                certificate = Mutation.applyAll(certificate, Mutation.some(r));
            }
            if (which != 0) {
                skic = Mutation.applyAll(skic, Mutation.some(r));
            }
            InitiatorKeying.Checked checked = InitiatorKeying.check(iikeying(certificate, skic), OFFERED);
            assertNotNull(checked);
            if (checked instanceof InitiatorKeying.Accepted a) {
                accepted[0]++;
                consistent(a.request(), certificate);
                assertNotNull(KEYING.compute(a.request()), "an outcome, whatever happens");
            }
        });
        assertTrue(accepted[0] > 0, "some mutations (in the extra randomness, say) stay acceptable");
    }

    private static void consistent(InitiatorKeying request, byte[] certificate) {
        assertTrue(OFFERED.contains(request.group()));
        assertArrayEquals(Certificate.parse(certificate).staticKey(request.group()).orElseThrow(), request.initiatorKey());
        assertTrue(request.group().isAcceptablePublicKey(new BigInteger(1, request.initiatorKey())));
    }

    private static IIKeying iikeying(byte[] certificate, byte[] skic) {
        return new IIKeying(1, new byte[64], certificate, skic, new byte[] {0x58});
    }
}
