package org.rtmfpd.session;

import java.util.Arrays;

/**
 * Hands out one shared array for metadata (RFC 7016 §2.3.11.1.1) that many flows carry alike: every
 * Flash client opens its NetConnection flow with the same few bytes, and a receiving flow keeps its
 * metadata for its whole life, so that without this each idle session would hold its own copy
 * (about 32 bytes). Each thread keeps a small table of its own, indexed by the bytes' hash; a
 * different array in a slot takes it over. Arrays handed out are never changed (a {@link RecvFlow}
 * gives out copies).
 */
final class FlowMetadataCache {
    /** Slots per thread, a power of two. */
    static final int SLOTS = 16;
    /** Longer metadata is kept as it came: flows that differ by a stream ID or a group are not shared. */
    static final int MAX_SHARED_LENGTH = 64;
    private static final ThreadLocal<byte[][]> TABLE = ThreadLocal.withInitial(() -> new byte[SLOTS][]);

    private FlowMetadataCache() {
    }

    /** An array equal to {@code metadata}: the one this thread saw before, or {@code metadata} itself. */
    static byte[] shared(byte[] metadata) {
        if (metadata == null || metadata.length > MAX_SHARED_LENGTH) {
            return metadata;
        }
        byte[][] table = TABLE.get();
        int slot = Arrays.hashCode(metadata) & (SLOTS - 1);
        byte[] known = table[slot];
        if (known != null && Arrays.equals(known, metadata)) {
            return known;
        }
        table[slot] = metadata;
        return metadata;
    }
}
