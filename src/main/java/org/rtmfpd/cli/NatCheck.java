package org.rtmfpd.cli;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The local address this machine reaches a server from, so that the NAT tests can tell "no NAT" from a NAT. */
final class NatCheck {
    private NatCheck() {
    }

    /** The local IP that the routing table picks toward {@code server}; connecting a UDP socket sends nothing. */
    static InetAddress localAddressToward(InetSocketAddress server) throws IOException {
        if (server.isUnresolved()) {
            throw new IOException("cannot resolve " + server.getHostString());
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(server);
            return probe.getLocalAddress();
        }
    }
}
