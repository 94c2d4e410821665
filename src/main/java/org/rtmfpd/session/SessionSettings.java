package org.rtmfpd.session;

/**
 * Timer settings of a session.
 *
 * @param keepaliveMillis send a keepalive Ping after this long with nothing received (RFC 7016 §3.5.4.1)
 * @param idleTimeoutMillis close the session after this long with nothing received
 */
public record SessionSettings(long keepaliveMillis, long idleTimeoutMillis) {
    public static final SessionSettings DEFAULT = new SessionSettings(30_000, 120_000);

    public SessionSettings {
        if (keepaliveMillis <= 0 || idleTimeoutMillis <= keepaliveMillis) {
            throw new IllegalArgumentException("keepalive must be positive and shorter than the idle timeout");
        }
    }
}
