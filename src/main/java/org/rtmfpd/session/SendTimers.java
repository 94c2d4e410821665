package org.rtmfpd.session;

/**
 * The timers of a session's sending side besides retransmission: the persist timer, which sends Buffer
 * Probes while data waits on a receiver that advertised no room (RFC 7016 §3.6.2.5: first after
 * max(1 s, ERTO), then √2 times longer each time up to 60 s, as rtmfp-cpp does), and the stall limit,
 * past which a session whose data makes no progress is closed.
 */
final class SendTimers {
    /** The first Buffer Probe goes this long, or ERTO if longer, after the buffer closed (rtmfp-cpp). */
    static final long PERSIST_INITIAL_MILLIS = 1_000;
    /** Buffer Probes come at least this often (rtmfp-cpp). */
    static final long PERSIST_MAX_MILLIS = 60_000;
    /**
     * Data queued or in flight with nothing acknowledged for this long closes the session: a peer that
     * never acknowledges, or keeps its buffer closed, pins the session's send queue no longer. Between
     * tcserver's 30 s retransmission limit and rtmfp-cpp's 120 s default; at least six retransmissions at
     * the longest ERTO (10 s), and half the idle timeout.
     */
    static final long STALL_LIMIT_MILLIS = 60_000;

    private long persistAt = -1;
    private long persistInterval;
    private boolean outstanding;
    private long progressAt;

    /** The earliest time {@link #stalled} or {@link #probeDue} can turn true, or {@link Long#MAX_VALUE}. */
    long nextDeadline() {
        long at = outstanding ? progressAt + STALL_LIMIT_MILLIS : Long.MAX_VALUE;
        return persistAt >= 0 ? Math.min(at, persistAt) : at;
    }

    /** Data was acknowledged. */
    void progressed(long now) {
        progressAt = now;
    }

    /** Records whether data is queued or in flight; data queued when none was starts the stall clock. */
    void outstanding(boolean any, long now) {
        if (any && !outstanding) {
            progressAt = now;
        }
        outstanding = any;
    }

    /** Whether data has been outstanding without progress for {@link #STALL_LIMIT_MILLIS}. */
    boolean stalled(long now) {
        return outstanding && now - progressAt >= STALL_LIMIT_MILLIS;
    }

    /** Records whether data waits on a receiver with no room: starts or stops the persist timer. */
    void waiting(boolean any, long now, long erto) {
        if (!any) {
            persistAt = -1;
        } else if (persistAt < 0) {
            persistInterval = Math.max(PERSIST_INITIAL_MILLIS, erto);
            persistAt = now + persistInterval;
        }
    }

    /** Whether Buffer Probes are due; if they are, the timer is set again, backing off. */
    boolean probeDue(long now, long erto) {
        if (persistAt < 0 || now < persistAt) {
            return false;
        }
        persistInterval = Math.min(PERSIST_MAX_MILLIS, Math.max(erto, (long) (persistInterval * Math.sqrt(2))));
        persistAt = now + persistInterval;
        return true;
    }
}
