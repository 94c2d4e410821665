package org.rtmfpd.nat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.rtmfpd.handshake.KeyedRateLimit;
import org.rtmfpd.session.Clock;
import org.rtmfpd.wire.SourceAddress;

/**
 * The bounds on STUN answers (docs/security.md): a rate per source and for all sources, and a smaller
 * one for answers larger than {@link #AMPLIFICATION_LIMIT} times their request to sources that have
 * not proved their address. One instance is shared by every STUN socket of a server; not thread-safe
 * (the protocol thread uses it).
 */
public final class StunLimits {
    /**
     * An answer more than this many times the size of its request goes to an unproved source only within
     * the small-request rates (QUIC's bound on what goes to an unvalidated address, RFC 9000 §8; the same
     * bound as the RHello's).
     */
    public static final int AMPLIFICATION_LIMIT = 3;
    /**
     * STUN requests one source (IPv4 address or IPv6 /64) has answered: a burst, then a rate. A browser
     * check or a probe sends about ten; ICE keepalives through a STUN server come every few seconds.
     */
    static final int SOURCE_BURST = 32;
    static final double SOURCE_PER_SECOND = 8;
    /** STUN requests answered from all sources together. */
    static final int GLOBAL_BURST = 4096;
    static final double GLOBAL_PER_SECOND = 2048;
    /** Over-amplifying answers to one unproved source, and to all of them together. */
    static final int SMALL_BURST_PER_SOURCE = 8;
    static final double SMALL_PER_SECOND_PER_SOURCE = 1;
    static final int SMALL_BURST = 256;
    static final double SMALL_PER_SECOND = 128;
    /** Sources whose rates are remembered; the least recent are forgotten first. */
    static final int MEMORY = 16_384;

    private final KeyedRateLimit<InetAddress> bySource;
    private final KeyedRateLimit<Boolean> global;
    private final KeyedRateLimit<InetAddress> smallBySource;
    private final KeyedRateLimit<Boolean> small;

    public StunLimits(Clock clock) {
        bySource = new KeyedRateLimit<>(SOURCE_BURST, SOURCE_PER_SECOND, MEMORY, clock);
        global = new KeyedRateLimit<>(GLOBAL_BURST, GLOBAL_PER_SECOND, 1, clock);
        smallBySource = new KeyedRateLimit<>(SMALL_BURST_PER_SOURCE, SMALL_PER_SECOND_PER_SOURCE, MEMORY, clock);
        small = new KeyedRateLimit<>(SMALL_BURST, SMALL_PER_SECOND, 1, clock);
    }

    /** Takes a token for a request from {@code from}, or says which rate it is past. */
    StunDrop admit(InetSocketAddress from) {
        if (!bySource.tryAcquire(SourceAddress.of(from.getAddress()))) {
            return StunDrop.SOURCE_RATE;
        }
        return global.tryAcquire(Boolean.TRUE) ? null : StunDrop.GLOBAL_RATE;
    }

    /** Takes a token for an over-amplifying answer to {@code from}; false when past the small-request rates. */
    boolean admitLarge(InetSocketAddress from) {
        return smallBySource.tryAcquire(SourceAddress.of(from.getAddress())) && small.tryAcquire(Boolean.TRUE);
    }
}
