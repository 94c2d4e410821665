package org.rtmfpd.session;

/**
 * Timer settings of a session.
 *
 * @param keepaliveMillis     send a keepalive Ping after this long with nothing received (RFC 7016 §3.5.4.1)
 * @param idleTimeoutMillis   close the session after this long with nothing received
 * @param probeIntervalMillis while nothing is received past the keepalive time, Ping again this often
 */
public record SessionSettings(long keepaliveMillis, long idleTimeoutMillis, long probeIntervalMillis) {
    public static final SessionSettings DEFAULT = new SessionSettings(30_000, 120_000);
    /** A server session pings after this many of the clients' keepalive periods without a packet. */
    static final int SERVER_PING_AFTER_PERIODS = 2;
    /** ... and gives the client up after this many. */
    static final int SERVER_GIVE_UP_AFTER_PERIODS = 3;
    /** ... pinging this many times in the last period. */
    static final int SERVER_PROBES_IN_LAST_PERIOD = 3;

    public SessionSettings {
        if (keepaliveMillis <= 0 || idleTimeoutMillis <= keepaliveMillis || probeIntervalMillis <= 0) {
            throw new IllegalArgumentException("keepalive and probe interval must be positive, keepalive shorter"
                    + " than the idle timeout");
        }
    }

    /** Pings every {@code keepaliveMillis} while nothing is received. */
    public SessionSettings(long keepaliveMillis, long idleTimeoutMillis) {
        this(keepaliveMillis, idleTimeoutMillis, keepaliveMillis);
    }

    /**
     * A server's sessions with clients that were told to ping every {@code clientKeepaliveMillis} (Set
     * Keepalive Timers, RFC 7425 §5.3.4): a client silent for two of its periods is pinged, three times
     * in the third, and given up when the third ends. A client that vanished without a word is gone
     * after three periods (45 s with the default 15 s); a live one has sent three keepalives and
     * answered three pings by then.
     */
    public static SessionSettings forServer(long clientKeepaliveMillis) {
        return new SessionSettings(SERVER_PING_AFTER_PERIODS * clientKeepaliveMillis,
                SERVER_GIVE_UP_AFTER_PERIODS * clientKeepaliveMillis,
                clientKeepaliveMillis / SERVER_PROBES_IN_LAST_PERIOD);
    }
}
