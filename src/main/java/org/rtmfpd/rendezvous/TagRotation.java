package org.rtmfpd.rendezvous;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts repeated IHellos per (target, tag), so that each repeat can forward the next of the
 * initiator's addresses. Bounded: at most {@code capacity} entries (the least recently seen go
 * first), and an entry not seen for {@code ttl} starts again from zero.
 */
final class TagRotation {
    private record Key(PeerId target, ByteBuffer tag) {
    }

    private static final class Seen {
        long count;
        long lastMillis;
    }

    private final int capacity;
    private final long ttlMillis;
    private final InstantSource clock;
    // Guarded by this. Access order: the head is the entry seen longest ago.
    private final LinkedHashMap<Key, Seen> seen;

    TagRotation(int capacity, Duration ttl, InstantSource clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.ttlMillis = ttl.toMillis();
        this.clock = clock;
        this.seen = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** How many IHellos with this target and tag came before this one (0 for the first). */
    synchronized long next(PeerId target, byte[] tag) {
        long now = clock.millis();
        expire(now);
        Key key = new Key(target, ByteBuffer.wrap(tag.clone()).asReadOnlyBuffer());
        Seen s = seen.get(key);
        if (s == null) {
            if (seen.size() >= capacity) {
                Iterator<Map.Entry<Key, Seen>> eldest = seen.entrySet().iterator();
                eldest.next();
                eldest.remove();
            }
            s = new Seen();
            seen.put(key, s);
        } else {
            s.count++;
        }
        s.lastMillis = now;
        return s.count;
    }

    synchronized int size() {
        return seen.size();
    }

    private void expire(long now) {
        Iterator<Seen> it = seen.values().iterator();
        while (it.hasNext()) {
            Seen s = it.next();
            if (now - s.lastMillis < ttlMillis) {
                return; // access order: everything after this was seen later
            }
            it.remove();
        }
    }
}
