package org.rtmfpd.nat;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The addresses one STUN responder answers on: the primary (an RTMFP listen address) and, for RFC 5780
 * behaviour discovery, the alternate IP2:PORT2 from which IP1:PORT2 and IP2:PORT1 follow.
 *
 * @param primary   IP1:PORT1
 * @param alternate IP2:PORT2, when discovery is on
 */
public record StunEndpoints(InetSocketAddress primary, Optional<InetSocketAddress> alternate) {
    public StunEndpoints {
        if (alternate.isPresent()) {
            InetSocketAddress a = alternate.get();
            if (primary.getAddress().isAnyLocalAddress()) {
                throw new IllegalArgumentException("stun-alternate needs a listen address that names the first IP ("
                        + "such as 192.0.2.1:1935), not " + primary.getAddress().getHostAddress());
            }
            if (a.getAddress().isAnyLocalAddress() || a.getAddress().equals(primary.getAddress())
                    || a.getPort() == primary.getPort() || a.getPort() == 0) {
                throw new IllegalArgumentException("stun-alternate must be a second IP address and a second port ("
                        + "IP2:PORT2, both different from the listen address " + primary + ")");
            }
            if (a.getAddress().getClass() != primary.getAddress().getClass()) {
                throw new IllegalArgumentException("stun-alternate must be of the listen address's family");
            }
        }
    }

    /** Whether RFC 5780 behaviour discovery is on. */
    public boolean discovery() {
        return alternate.isPresent();
    }

    /** The address of {@code role}; only {@link SocketRole#PRIMARY} without discovery. */
    public InetSocketAddress address(SocketRole role) {
        if (role == SocketRole.PRIMARY) {
            return primary;
        }
        InetSocketAddress a = alternate.orElseThrow(() -> new IllegalStateException("no stun-alternate"));
        return new InetSocketAddress(role.alternateIp() ? a.getAddress() : primary.getAddress(),
                role.alternatePort() ? a.getPort() : primary.getPort());
    }
}
