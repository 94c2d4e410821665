package org.rtmfpd.wire;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Turns a sender's IP address into the source that per-source limits count by: an IPv4 address itself,
 * an IPv6 address its /64, the block one host or one home usually holds (and can change addresses in at
 * will).
 */
public final class SourceAddress {
    private static final int IPV6_PREFIX_BYTES = 8;

    private SourceAddress() {
    }

    public static InetAddress of(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] bytes = address.getAddress();
        Arrays.fill(bytes, IPV6_PREFIX_BYTES, bytes.length, (byte) 0);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }
}
