package org.rtmfpd.config;

/**
 * The bounds on who may start a session, all counted by source (an IPv4 address or an IPv6 /64, see
 * {@link org.rtmfpd.wire.SourceAddress}) except the first. Past any of them an IIKeying is dropped
 * silently and counted by reason; the client retransmits, or gives up.
 *
 * @param maxSessions                 sessions the server holds at most
 * @param maxSessionsPerSource        sessions one source holds at most (a NAT can hide many clients)
 * @param maxHandshakesPerSource      IIKeyings of one source waiting for Diffie-Hellman work at most
 * @param iikeyingsPerSecondPerSource new IIKeyings one source may send a second, in bursts of twice that
 */
public record AdmissionLimits(int maxSessions, int maxSessionsPerSource, int maxHandshakesPerSource,
        int iikeyingsPerSecondPerSource) {
    public static final int DEFAULT_MAX_SESSIONS = 100_000;
    public static final int DEFAULT_MAX_SESSIONS_PER_SOURCE = 1_000;
    public static final int DEFAULT_MAX_HANDSHAKES_PER_SOURCE = 4;
    public static final int DEFAULT_IIKEYINGS_PER_SECOND_PER_SOURCE = 20;
    public static final AdmissionLimits DEFAULT = new AdmissionLimits(DEFAULT_MAX_SESSIONS,
            DEFAULT_MAX_SESSIONS_PER_SOURCE, DEFAULT_MAX_HANDSHAKES_PER_SOURCE, DEFAULT_IIKEYINGS_PER_SECOND_PER_SOURCE);

    public AdmissionLimits {
        if (maxSessions < 1 || maxSessionsPerSource < 1 || maxHandshakesPerSource < 1 || iikeyingsPerSecondPerSource < 1) {
            throw new IllegalArgumentException("admission limits must be at least 1");
        }
    }

    public AdmissionLimits withMaxSessions(int n) {
        return new AdmissionLimits(n, maxSessionsPerSource, maxHandshakesPerSource, iikeyingsPerSecondPerSource);
    }

    public AdmissionLimits withMaxSessionsPerSource(int n) {
        return new AdmissionLimits(maxSessions, n, maxHandshakesPerSource, iikeyingsPerSecondPerSource);
    }

    public AdmissionLimits withMaxHandshakesPerSource(int n) {
        return new AdmissionLimits(maxSessions, maxSessionsPerSource, n, iikeyingsPerSecondPerSource);
    }

    public AdmissionLimits withIikeyingsPerSecondPerSource(int n) {
        return new AdmissionLimits(maxSessions, maxSessionsPerSource, maxHandshakesPerSource, n);
    }
}
