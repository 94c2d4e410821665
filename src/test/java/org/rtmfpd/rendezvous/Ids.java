package org.rtmfpd.rendezvous;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Test helpers: distinct peer and group IDs, and addresses. */
public final class Ids {
    private Ids() {
    }

    public static PeerId peer(int n) {
        return PeerId.of(bytes(n, 0x50));
    }

    public static GroupId group(int n) {
        return GroupId.of(bytes(n, 0x47));
    }

    public static byte[] bytes(int n, int fill) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) fill);
        ByteBuffer.wrap(b).putInt(n);
        return b;
    }

    public static InetSocketAddress addr(String ip, int port) {
        try {
            // A numeric literal: no name lookup happens.
            return new InetSocketAddress(java.net.InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
