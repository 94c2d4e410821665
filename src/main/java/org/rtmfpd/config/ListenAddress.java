package org.rtmfpd.config;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Parses and prints listen addresses ({@code listen}, {@code metrics-listen}) without ever looking up
 * a host name.
 *
 * <p>Accepted forms: {@code HOST:PORT}, {@code [IPV6]:PORT}, {@code :PORT} or {@code PORT} (all IPv4
 * addresses, 0.0.0.0), and {@code HOST} or {@code [IPV6]} alone (default port). HOST is a dotted IPv4
 * address, {@code *} (0.0.0.0) or {@code localhost} (127.0.0.1 only); an IPv6 address goes in
 * brackets ({@code [::]:1935} for all IPv6 addresses). Other host names are refused, so that what the
 * server binds never depends on DNS. PORT is 0 to 65535; 0 lets the system choose (useful in tests).
 */
public final class ListenAddress {
    private ListenAddress() {
    }

    /**
     * Parses {@code spec}; throws IllegalArgumentException with a message that says what to write.
     * With a negative {@code defaultPort} the port is required.
     */
    public static InetSocketAddress parse(String spec, int defaultPort) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("an address is missing; write HOST:PORT, [IPV6]:PORT or :PORT");
        }
        String s = spec.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw bad(spec, "the ']' after the IPv6 address is missing");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                port = null;
            } else if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else {
                throw bad(spec, "expected ':PORT' after ']'");
            }
            return new InetSocketAddress(ipv6(spec, host), port == null ? defaultPort(spec, defaultPort)
                    : port(spec, port));
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
            throw bad(spec, "put an IPv6 address in brackets, as in [::]:1935 or [::1]:1935");
        }
        if (colon < 0) {
            if (s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return new InetSocketAddress(any(), port(spec, s));
            }
            host = s;
            port = null;
        } else {
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        InetAddress ip = host.isEmpty() || host.equals("*") ? any() : ipv4(spec, host);
        return new InetSocketAddress(ip, port == null ? defaultPort(spec, defaultPort) : port(spec, port));
    }

    private static int defaultPort(String spec, int defaultPort) {
        if (defaultPort < 0) {
            throw bad(spec, "a port is needed, as in 127.0.0.1:9935");
        }
        return defaultPort;
    }

    /** {@code 0.0.0.0:1935} or {@code [::]:1935}: the form {@link #parse} reads back. */
    public static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip instanceof Inet6Address) {
            // RFC 5952's compressed text form, without a zone
            return "[" + NetUtil.toAddressString(ip, false) + "]:" + address.getPort();
        }
        return ip.getHostAddress() + ":" + address.getPort();
    }

    private static InetAddress any() {
        return byteAddress(new byte[4]);
    }

    private static InetAddress ipv4(String spec, String host) {
        if (host.equals("localhost")) {
            return byteAddress(new byte[] {127, 0, 0, 1});
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4 || !host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            throw bad(spec, "'" + host + "' is not an IP address; rtmfpd does not look up host names, so give"
                    + " a numeric address such as 0.0.0.0, 127.0.0.1 or [::]");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
                    || Integer.parseInt(p) > 255) {
                throw bad(spec, "'" + host + "' is not a valid IPv4 address (four numbers 0-255, no leading zeros)");
            }
            b[i] = (byte) Integer.parseInt(p);
        }
        return byteAddress(b);
    }

    private static InetAddress ipv6(String spec, String host) {
        if (host.isEmpty() || host.indexOf(':') < 0
                || !host.chars().allMatch(c -> c == ':' || c == '.' || (Character.digit(c, 16) >= 0 && c < 0x80))) {
            throw bad(spec, "'" + host + "' is not an IPv6 address (zone IDs such as %eth0 are not supported)");
        }
        try {
            // A literal with a ':' is parsed as IPv6 and never looked up.
            return InetAddress.getByName("[" + host + "]");
        } catch (UnknownHostException e) {
            throw bad(spec, "'" + host + "' is not a valid IPv6 address");
        }
    }

    private static int port(String spec, String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) > 65535) {
            throw bad(spec, "the port must be a number from 0 to 65535, got '" + port + "'");
        }
        return Integer.parseInt(port);
    }

    private static InetAddress byteAddress(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IllegalArgumentException bad(String spec, String why) {
        return new IllegalArgumentException("bad address '" + spec.strip() + "': " + why);
    }
}
