package org.rtmfpd.handshake;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import org.rtmfpd.session.Clock;

/**
 * As {@link KeyedRateLimit}, for requests counted by a 64-bit digest of their key, in fixed arrays: a token
 * bucket per slot, the slot chosen by the digest. A key that finds its slot held by another starts a full
 * bucket there, which can only make the limit more lenient for the key that held it, never stricter for
 * another (two keys share a bucket only if their 64-bit digests are equal). Nothing is allocated per
 * request and a check reads one slot, where a map chases a chain of entries and their keys. Digests mix in
 * a seed chosen at random per instance, so that a remote party cannot aim its keys at another's slot.
 * Not thread-safe: one protocol thread uses it.
 */
public final class HashedRateLimit {
    private final int burst;
    private final double perMilli;
    private final Clock clock;
    private final int mask;
    private final long seed;
    private final long[] keys;
    private final double[] tokens;
    private final long[] at;
    private final boolean[] used;

    /**
     * @param slots buckets kept: a power of two
     * @param seed mixed into every digest ({@link #digest}); a random number
     */
    public HashedRateLimit(int burst, double perSecond, int slots, Clock clock, long seed) {
        if (burst < 1 || perSecond <= 0 || slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("burst and rate must be positive, slots a power of two");
        }
        this.burst = burst;
        this.perMilli = perSecond / 1000.0;
        this.clock = clock;
        this.mask = slots - 1;
        this.seed = seed;
        this.keys = new long[slots];
        this.tokens = new double[slots];
        this.at = new long[slots];
        this.used = new boolean[slots];
    }

    /** Whether a request for the key of {@code digest} is allowed now; an allowed request takes one token. */
    public boolean tryAcquire(long digest) {
        long now = clock.nowMillis();
        int slot = (int) mix(digest) & mask;
        double left;
        if (!used[slot] || keys[slot] != digest) {
            used[slot] = true;
            keys[slot] = digest;
            left = burst;
        } else {
            left = Math.min(burst, tokens[slot] + (now - at[slot]) * perMilli);
        }
        at[slot] = now;
        if (left < 1) {
            tokens[slot] = left;
            return false;
        }
        tokens[slot] = left - 1;
        return true;
    }

    /** Slots in use (at most the number of slots). */
    public int size() {
        int n = 0;
        for (boolean u : used) {
            n += u ? 1 : 0;
        }
        return n;
    }

    /** The digest of {@code bytes} (a peer ID, say), under this instance's seed. */
    public long digest(byte[] bytes) {
        return digest(seed, bytes);
    }

    /** The digest of an address and {@code bytes} (an initiator's address and its target's peer ID). */
    public long digest(InetSocketAddress address, byte[] bytes) {
        long a = address.getAddress() instanceof Inet4Address v4
                ? v4.hashCode() // the address itself, as an int
                : digest(seed, address.getAddress().getAddress());
        return digest(mix(seed ^ mix(a) ^ address.getPort()), bytes);
    }

    private static long digest(long seed, byte[] bytes) {
        long h = seed ^ bytes.length;
        int i = 0;
        for (; i + 8 <= bytes.length; i += 8) {
            long word = 0;
            for (int k = 0; k < 8; k++) {
                word = word << 8 | (bytes[i + k] & 0xff);
            }
            h = mix(h ^ word);
        }
        long tail = 0;
        for (; i < bytes.length; i++) {
            tail = tail << 8 | (bytes[i] & 0xff);
        }
        return mix(h ^ tail);
    }

    /** MurmurHash3's 64-bit finaliser: every bit of the input moves every bit of the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
