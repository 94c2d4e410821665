package org.rtmfpd.session;

import java.net.InetSocketAddress;

/** Where the protocol core hands finished datagrams; the Netty edge implements it. */
@FunctionalInterface
public interface Transmitter {
    void send(InetSocketAddress to, byte[] datagram);
}
