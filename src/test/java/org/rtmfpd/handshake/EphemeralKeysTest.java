package org.rtmfpd.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.DhKeyPair;

class EphemeralKeysTest {
    /** A SecureRandom that replays a seeded sequence, so that a short key can be made on purpose. */
    private static final class Replay extends SecureRandom {
        private final Random source;

        Replay(long seed) {
            this.source = new Random(seed);
        }

        @Override
        public void nextBytes(byte[] bytes) {
            source.nextBytes(bytes);
        }
    }

    @Test
    void theResponderKeyIsAlwaysFullLengthEvenWhenTheFirstOneMadeIsShort() {
        long seed = 0;
        while (DhGroup.GROUP_2.generateKeyPair(new Replay(seed)).publicKeyBytes().length == 128) {
            seed++;
            assertTrue(seed < 100_000, "some seed makes a short key (one in 256 do)");
        }
        DhKeyPair pair = new EphemeralKeys(new Replay(seed), () -> 0, 60_000).get(DhGroup.GROUP_2);
        assertEquals(128, pair.publicKeyBytes().length);
    }

    @Test
    void onePairServesItsLifetimeThenANewOneIsMade() {
        long[] now = {0};
        EphemeralKeys keys = new EphemeralKeys(new SecureRandom(), () -> now[0], 60_000);
        DhKeyPair first = keys.get(DhGroup.GROUP_2);
        now[0] = 59_999;
        assertSame(first, keys.get(DhGroup.GROUP_2));
        now[0] = 60_000;
        assertNotSame(first, keys.get(DhGroup.GROUP_2));
    }
}
