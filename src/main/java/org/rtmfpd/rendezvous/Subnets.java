package org.rtmfpd.rendezvous;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Whether two addresses look like one subnet: the same /24 for IPv4 (the home LAN's usual size) and the
 * same /64 for IPv6 (RFC 4291 §2.5.4's interface identifiers). The server does not know real masks;
 * this only orders the candidates of a Forwarded IHello, so a wrong guess costs one retransmission.
 */
final class Subnets {
    private static final int IPV4_PREFIX_BYTES = 3;
    private static final int IPV6_PREFIX_BYTES = 8;

    private Subnets() {
    }

    static boolean same(InetAddress a, InetAddress b) {
        if ((a instanceof Inet4Address) != (b instanceof Inet4Address)) {
            return false;
        }
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        int n = a instanceof Inet4Address ? IPV4_PREFIX_BYTES : IPV6_PREFIX_BYTES;
        for (int i = 0; i < n; i++) {
            if (x[i] != y[i]) {
                return false;
            }
        }
        return true;
    }
}
