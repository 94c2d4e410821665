package org.rtmfpd.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Token buckets by digest in fixed slots: burst, refill, keys apart, and a taken-over slot only more lenient. */
class HashedRateLimitTest {
    private final long[] now = {1_000};

    @Test
    void aKeyHasItsBurstThenItsRate() {
        HashedRateLimit limit = new HashedRateLimit(3, 2, 1024, () -> now[0], 42);
        long key = limit.digest(new byte[] {1, 2, 3});
        for (int i = 0; i < 3; i++) {
            assertTrue(limit.tryAcquire(key), "burst " + i);
        }
        assertFalse(limit.tryAcquire(key));
        now[0] += 499;
        assertFalse(limit.tryAcquire(key), "half a token after 499 ms at 2/s");
        now[0] += 1;
        assertTrue(limit.tryAcquire(key), "one token after 500 ms");
        assertFalse(limit.tryAcquire(key));
    }

    @Test
    void keysDoNotShareBucketsAndATakenOverSlotStartsFull() {
        HashedRateLimit limit = new HashedRateLimit(1, 1, 1, () -> now[0], 7); // one slot: every key takes it over
        long a = limit.digest(new byte[] {1});
        long b = limit.digest(new byte[] {2});
        assertTrue(limit.tryAcquire(a));
        assertFalse(limit.tryAcquire(a));
        assertTrue(limit.tryAcquire(b), "b is not refused for a's requests");
        assertTrue(limit.tryAcquire(a), "a lost its bucket to b: more lenient, never stricter");
        assertEquals(1, limit.size());
    }

    @Test
    void digestsDifferByAddressPortBytesAndSeed() {
        HashedRateLimit one = new HashedRateLimit(1, 1, 16, () -> now[0], 1);
        HashedRateLimit two = new HashedRateLimit(1, 1, 16, () -> now[0], 2);
        byte[] id = new byte[32];
        byte[] other = new byte[32];
        other[31] = 1;
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", 5000);
        assertEquals(one.digest(at, id), one.digest(new InetSocketAddress("127.0.0.1", 5000), id));
        assertNotEquals(one.digest(at, id), one.digest(at, other));
        assertNotEquals(one.digest(at, id), one.digest(new InetSocketAddress("127.0.0.1", 5001), id));
        assertNotEquals(one.digest(at, id), one.digest(new InetSocketAddress("127.0.0.2", 5000), id));
        assertNotEquals(one.digest(new InetSocketAddress("::1", 5000), id), one.digest(new InetSocketAddress("::2", 5000), id));
        assertNotEquals(one.digest(id), two.digest(id));
    }

    @Test
    void slotsMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new HashedRateLimit(1, 1, 1000, () -> 0, 0));
    }
}
