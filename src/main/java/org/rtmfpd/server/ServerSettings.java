package org.rtmfpd.server;

import java.net.InetSocketAddress;
import java.util.List;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.session.SessionSettings;

/**
 * What {@link RtmfpServer} needs to start, resolved from the configuration file and command line.
 *
 * @param listen UDP addresses to bind
 * @param groups Diffie-Hellman groups offered in the RHello certificate, in preference order
 * @param peerCap the default peer cap (a developer key may override it)
 * @param serverKeepaliveMillis Set Keepalive Timers: how often clients ping the server
 * @param peerKeepaliveMillis Set Keepalive Timers: how often clients ping their peers
 * @param keyingQueueLimit IIKeyings waiting for Diffie-Hellman work before more are dropped
 * @param ephemeralKeyLifetimeMillis how long one ephemeral DH key pair serves new sessions (0 = one per session)
 * @param sessionSettings session keepalive and idle timeout
 */
public record ServerSettings(List<InetSocketAddress> listen, List<DhGroup> groups, int peerCap,
                             long serverKeepaliveMillis, long peerKeepaliveMillis, int keyingQueueLimit,
                             long ephemeralKeyLifetimeMillis, SessionSettings sessionSettings) {
    public ServerSettings {
        listen = List.copyOf(listen);
        groups = List.copyOf(groups);
    }
}
