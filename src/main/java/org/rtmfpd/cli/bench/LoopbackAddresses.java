package org.rtmfpd.cli.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Parses the bench's addresses and refuses any that is not on loopback (127.0.0.0/8 or ::1). */
public final class LoopbackAddresses {
    /** Most source addresses one range may name. */
    public static final int MAX_SOURCES = 1024;

    private LoopbackAddresses() {
    }

    /** {@code host:port}, {@code [v6]:port} or {@code host} (port {@code defaultPort}); throws unless loopback. */
    public static InetSocketAddress server(String spec, int defaultPort) {
        String s = spec.trim();
        String host;
        int port = defaultPort;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("'" + spec + "': missing ']'");
            }
            host = s.substring(1, end);
            if (end + 1 < s.length()) {
                if (s.charAt(end + 1) != ':') {
                    throw new IllegalArgumentException("'" + spec + "': expected ':' after ']'");
                }
                port = port(s.substring(end + 2), spec);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') == colon) {
                host = s.substring(0, colon);
                port = port(s.substring(colon + 1), spec);
            } else {
                host = s;
            }
        }
        InetAddress address = resolve(host, spec);
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException(spec + " is not a loopback address: the bench only drives a server on "
                    + "this machine (127.0.0.0/8 or ::1)");
        }
        return new InetSocketAddress(address, port);
    }

    /**
     * Source addresses: a comma-separated list of addresses and IPv4 ranges {@code FIRST-LAST} (both
     * included), for example {@code 127.0.0.2-127.0.0.50}. Each must be a loopback address.
     */
    public static List<InetAddress> sources(String spec) {
        List<InetAddress> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            if (dash > 0) {
                InetAddress first = resolve(p.substring(0, dash).trim(), spec);
                InetAddress last = resolve(p.substring(dash + 1).trim(), spec);
                if (!(first instanceof Inet4Address) || !(last instanceof Inet4Address)) {
                    throw new IllegalArgumentException("'" + p + "': ranges are IPv4 only");
                }
                long from = toLong(first);
                long to = toLong(last);
                if (to < from) {
                    throw new IllegalArgumentException("'" + p + "': the range ends before it starts");
                }
                if (to - from + 1 + out.size() > MAX_SOURCES) {
                    throw new IllegalArgumentException("'" + spec + "': more than " + MAX_SOURCES + " source addresses");
                }
                for (long a = from; a <= to; a++) {
                    out.add(fromLong(a));
                }
            } else {
                out.add(resolve(p, spec));
            }
            if (out.size() > MAX_SOURCES) {
                throw new IllegalArgumentException("'" + spec + "': more than " + MAX_SOURCES + " source addresses");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no source address in '" + spec + "'");
        }
        for (InetAddress a : out) {
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException(a.getHostAddress() + " is not a loopback address: the bench's "
                        + "clients only use 127.0.0.0/8 or ::1");
            }
        }
        return out;
    }

    private static int port(String text, String spec) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + spec + "': bad port '" + text + "'");
        }
    }

    private static InetAddress resolve(String host, String spec) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + spec + "': unknown host " + host);
        }
    }

    private static long toLong(InetAddress a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }

    private static InetAddress fromLong(long v) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
