package org.rtmfpd.rendezvous;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The server's own private network, when the server sits behind a port-forwarding NAT and its public
 * addresses are set ({@code advertise}). A peer on that network reaches the server by a private address,
 * and that is all the server sees of it; a peer outside cannot reach a private address. A NAT with
 * endpoint-independent mapping that keeps ports (RFC 4787 §4.1, REQ-1; Linux and most home routers) maps
 * the inside peer's socket to the server's public address with the same port, so that is the address an
 * outside peer is given for it, in the Redirect and in the Forwarded IHello. Peers on the same side of
 * the NAT keep each other's own addresses. Without advertised public addresses nothing changes.
 */
public final class ServerLan {
    /** No advertised public address: every peer is given the addresses the server saw. */
    public static final ServerLan NONE = new ServerLan(List.of());

    private final List<InetAddress> publicAddresses;

    /** @param advertised the server's advertised addresses; the public ones among them count */
    public ServerLan(List<InetAddress> advertised) {
        this.publicAddresses = advertised.stream().filter(a -> !isPrivate(a)).toList();
    }

    /**
     * The address a peer outside the server's network reaches {@code peer} at: present when {@code peer}
     * is on a private network, {@code other} is on a public one, and the server has a public address of
     * {@code peer}'s family.
     */
    public Optional<InetSocketAddress> outside(InetSocketAddress peer, InetSocketAddress other) {
        if (publicAddresses.isEmpty() || !isPrivate(peer.getAddress()) || isPrivate(other.getAddress())) {
            return Optional.empty();
        }
        boolean v4 = peer.getAddress() instanceof Inet4Address;
        return publicAddresses.stream().filter(a -> (a instanceof Inet4Address) == v4).findFirst()
                .map(a -> new InetSocketAddress(a, peer.getPort()));
    }

    /** The public addresses counted. */
    public List<InetAddress> publicAddresses() {
        return publicAddresses;
    }

    /**
     * Whether {@code a} is not reachable from the internet: RFC 1918 and RFC 4193 ranges, the shared
     * address space of carrier-grade NAT (RFC 6598, 100.64.0.0/10), loopback, link-local and the wildcard.
     */
    public static boolean isPrivate(InetAddress a) {
        if (a.isSiteLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // RFC 4193 unique local, fc00::/7
        }
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64; // RFC 6598, 100.64.0.0/10
    }
}
