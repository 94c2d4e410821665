package org.rtmfpd.natlab;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP address literals of the lab (never looked up in DNS). */
final class Addresses {
    private Addresses() {
    }

    static InetAddress parse(String literal) {
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address literal: " + literal);
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + literal, e);
        }
    }

    /** {@code a + n}, within its family. */
    static InetAddress plus(InetAddress a, int n) {
        byte[] raw = new BigInteger(1, a.getAddress()).add(BigInteger.valueOf(n)).toByteArray();
        byte[] out = new byte[a.getAddress().length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The literal as {@code ip} and nftables take it, IPv6 without brackets. */
    static String text(InetAddress a) {
        return a.getHostAddress().replaceAll("%.*", "");
    }
}
