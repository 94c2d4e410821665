package org.rtmfpd.handshake;

import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.Map;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.DhKeyPair;
import org.rtmfpd.session.Clock;

/**
 * Hands out the responder's ephemeral Diffie-Hellman key pair for a group (RFC 7425 §7 ¶2), made anew
 * once its lifetime has passed, so that a burst of handshakes pays for one key generation instead of
 * one each. Session keys still differ per session: they also hash both keying components, whose extra
 * randomness is fresh. A lifetime of zero makes a new pair for every handshake. Thread-safe.
 */
public final class EphemeralKeys {
    private final SecureRandom random;
    private final Clock clock;
    private final long lifetimeMillis;
    private final Map<DhGroup, Entry> current = new EnumMap<>(DhGroup.class);

    public EphemeralKeys(SecureRandom random, Clock clock, long lifetimeMillis) {
        this.random = random;
        this.clock = clock;
        this.lifetimeMillis = lifetimeMillis;
    }

    public DhKeyPair get(DhGroup group) {
        if (lifetimeMillis <= 0) {
            return fullLength(group);
        }
        long now = clock.nowMillis();
        synchronized (current) {
            Entry entry = current.get(group);
            if (entry == null || now - entry.madeAt >= lifetimeMillis) {
                // Made under the lock, so that at expiry one worker makes the new pair and the others
                // wait for it instead of each making one.
                entry = new Entry(fullLength(group), now);
                current.put(group, entry);
            }
            return entry.pair;
        }
    }

    /**
     * A pair whose public key is as long as the prime. A minimal-length key is shorter one time in 256;
     * Flash-era clients (librtmfp) read the server's key at a fixed offset of the SKRC, which a key of
     * 126 bytes or less would shift, and a pair is reused for its whole lifetime. So the responder
     * regenerates until the key is full length, which also keeps the SKRC's key option exactly as
     * Stratus sent it ({@code 81 02 0d 02 <128 bytes>} for group 2).
     */
    private DhKeyPair fullLength(DhGroup group) {
        int length = (group.prime().bitLength() + 7) / 8;
        DhKeyPair pair;
        do {
            pair = group.generateKeyPair(random);
        } while (pair.publicKeyBytes().length != length);
        return pair;
    }

    private record Entry(DhKeyPair pair, long madeAt) {
    }
}
