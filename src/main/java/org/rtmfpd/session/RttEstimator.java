package org.rtmfpd.session;

/**
 * Turns round-trip samples into the effective retransmission timeout, ERTO (RFC 7016 §3.5.2.2):
 * SRTT and RTTVAR as in TCP, MRTO = SRTT + 4·RTTVAR + 200 ms, ERTO = max(MRTO, 250 ms), backing off by
 * √2 on each timeout up to 10 s.
 */
public final class RttEstimator {
    static final long INITIAL_ERTO_MILLIS = 3_000;
    static final long MIN_ERTO_MILLIS = 250;
    static final long MAX_ERTO_MILLIS = 10_000;
    /** The receiver may delay an ack this long (RFC 7016 §3.6.3.4). */
    static final long DELAYED_ACK_ALLOWANCE_MILLIS = 200;

    // Floats and an int, milliseconds all (ERTO is at most 10 s): 24 bytes per session, not 40.
    private float srtt = -1;
    private float rttvar;
    private int erto = (int) INITIAL_ERTO_MILLIS;

    public void sample(long rttMillis) {
        if (rttMillis < 0) {
            return;
        }
        if (srtt < 0) {
            srtt = rttMillis;
            rttvar = rttMillis / 2f;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rttMillis)) / 4;
            srtt = (7 * srtt + rttMillis) / 8;
        }
        long mrto = (long) (srtt + 4 * rttvar) + DELAYED_ACK_ALLOWANCE_MILLIS;
        erto = (int) Math.min(MAX_ERTO_MILLIS, Math.max(mrto, MIN_ERTO_MILLIS));
    }

    public void backOff() {
        erto = (int) Math.min(MAX_ERTO_MILLIS, (long) (erto * Math.sqrt(2)));
    }

    public long erto() {
        return erto;
    }
}
