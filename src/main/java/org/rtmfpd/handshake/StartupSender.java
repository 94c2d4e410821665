package org.rtmfpd.handshake;

import java.net.InetSocketAddress;
import org.rtmfpd.wire.Chunk;

/** Sends one startup chunk (RHello, Redirect, RIKeying, Cookie Change) under the default key, outside any session. */
@FunctionalInterface
public interface StartupSender {
    void sendStartup(InetSocketAddress to, int farSessionId, Chunk chunk);
}
