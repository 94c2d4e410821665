package org.rtmfpd.handshake;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rtmfpd.session.Clock;

/**
 * Turns a stream of requests, each with a key, into allowed or refused: a token bucket per key holds at
 * most {@code burst} requests and refills at {@code perSecond}. Keys are kept in least-recently-used
 * order up to {@code capacity}; past it the oldest bucket is forgotten, which can only make the limit
 * more lenient for that key, never stricter for another. Not thread-safe: one protocol thread uses it.
 *
 * @param <K> what requests are counted by (an address, a pair of peers)
 */
public final class KeyedRateLimit<K> {
    private final int burst;
    private final double perMilli;
    private final Clock clock;
    private final Map<K, Bucket> buckets;

    public KeyedRateLimit(int burst, double perSecond, int capacity, Clock clock) {
        if (burst < 1 || perSecond <= 0 || capacity < 1) {
            throw new IllegalArgumentException("burst, rate and capacity must be positive");
        }
        this.burst = burst;
        this.perMilli = perSecond / 1000.0;
        this.clock = clock;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Bucket> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Whether a request for {@code key} is allowed now; an allowed request takes one token. */
    public boolean tryAcquire(K key) {
        long now = clock.nowMillis();
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            bucket = new Bucket(burst, now);
            buckets.put(key, bucket);
        } else {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * perMilli);
            bucket.at = now;
        }
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    /** Keys currently remembered (at most the capacity). */
    public int size() {
        return buckets.size();
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
