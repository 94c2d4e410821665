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
            return group.generateKeyPair(random);
        }
        long now = clock.nowMillis();
        synchronized (current) {
            Entry entry = current.get(group);
            if (entry == null || now - entry.madeAt >= lifetimeMillis) {
                // Made under the lock, so that at expiry one worker makes the new pair and the others
                // wait for it instead of each making one.
                entry = new Entry(group.generateKeyPair(random), now);
                current.put(group, entry);
            }
            return entry.pair;
        }
    }

    private record Entry(DhKeyPair pair, long madeAt) {
    }
}
