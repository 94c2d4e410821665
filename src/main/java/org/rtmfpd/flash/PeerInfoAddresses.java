package org.rtmfpd.flash;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the address strings of a {@code setPeerInfo} command (RFC 7425 §5.3.3), {@code "a.b.c.d:port"}
 * or {@code "[v6]:port"}, into socket addresses without any name lookup: only numeric addresses
 * parse. Strings that do not parse are skipped, as are IPv6 zone suffixes ({@code %eth0}),
 * link-local IPv6 (fe80::/10, useless to another host), and ports outside 1..65535.
 */
public final class PeerInfoAddresses {
    public static final String COMMAND = "setPeerInfo";
    /** Most addresses kept from one command; Flash reports one per local interface. */
    public static final int MAX_ADDRESSES = 16;

    private static final int MAX_PORT = 0xffff;
    private static final int MAX_PORT_DIGITS = 5;
    private static final int LINK_LOCAL_FIRST = 0xfe;
    private static final int LINK_LOCAL_SECOND_MASK = 0xc0;
    private static final int LINK_LOCAL_SECOND = 0x80;
    private static final int IPV6_BYTES = 16;

    private PeerInfoAddresses() {
    }

    /**
     * The distinct addresses among a setPeerInfo command's string arguments, in order, at most
     * {@link #MAX_ADDRESSES}; arguments that are not strings or do not parse are skipped. Flash sends a
     * null command object before the addresses; librtmfp sends none, so its first address stands where
     * the command object would, and is taken from there (as Cumulus did).
     */
    public static List<InetSocketAddress> of(Command setPeerInfo) {
        Set<InetSocketAddress> addresses = new LinkedHashSet<>();
        List<Object> candidates = new ArrayList<>();
        if (setPeerInfo.commandObject() instanceof String first) {
            candidates.add(first);
        }
        candidates.addAll(setPeerInfo.arguments());
        for (Object argument : candidates) {
            if (addresses.size() == MAX_ADDRESSES) {
                break;
            }
            if (argument instanceof String s) {
                parse(s).ifPresent(addresses::add);
            }
        }
        return new ArrayList<>(addresses);
    }

    public static Optional<InetSocketAddress> parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0 || text.indexOf('%') >= 0) {
            return Optional.empty();
        }
        String host = text.substring(0, colon);
        int port = port(text.substring(colon + 1));
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        byte[] ip = bracketed ? ipv6(host.substring(1, host.length() - 1)) : ipv4(host);
        if (ip == null || port < 0 || isLinkLocalV6(ip)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(ip), port));
        } catch (UnknownHostException e) {
            return Optional.empty(); // not reached: the length is 4 or 16
        }
    }

    private static byte[] ipv4(String host) {
        return NetUtil.isValidIpV4Address(host) ? NetUtil.createByteArrayFromIpAddressString(host) : null;
    }

    /** Netty's checker also takes brackets, which must not appear twice here. */
    private static byte[] ipv6(String host) {
        boolean literal = host.indexOf('[') < 0 && host.indexOf(']') < 0 && NetUtil.isValidIpV6Address(host);
        return literal ? NetUtil.createByteArrayFromIpAddressString(host) : null;
    }

    /** The port, or -1 if the text is not 1..65535 in decimal digits. */
    private static int port(String digits) {
        if (digits.isEmpty() || digits.length() > MAX_PORT_DIGITS) {
            return -1;
        }
        int port = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            port = port * 10 + (c - '0');
        }
        return port >= 1 && port <= MAX_PORT ? port : -1;
    }

    private static boolean isLinkLocalV6(byte[] ip) {
        return ip.length == IPV6_BYTES && (ip[0] & 0xff) == LINK_LOCAL_FIRST
                && (ip[1] & LINK_LOCAL_SECOND_MASK) == LINK_LOCAL_SECOND;
    }
}
