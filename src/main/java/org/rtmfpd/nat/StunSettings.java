package org.rtmfpd.nat;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * STUN's settings ({@code stun} and {@code stun-alternate} in rtmfpd.conf; docs/configuration.md).
 *
 * @param enabled   answer STUN Binding requests on the RTMFP listen addresses
 * @param alternate IP2:PORT2 for RFC 5780 behaviour discovery: STUN is then answered on IP1:PORT2,
 *                  IP2:PORT1 and IP2:PORT2 as well
 */
public record StunSettings(boolean enabled, Optional<InetSocketAddress> alternate) {
    public static final StunSettings DEFAULTS = new StunSettings(true, Optional.empty());

    public StunSettings {
        Objects.requireNonNull(alternate, "alternate");
        alternate.ifPresent(a -> {
            if (a.isUnresolved() || a.getAddress().isAnyLocalAddress() || a.getPort() == 0) {
                throw new IllegalArgumentException("stun-alternate must be a second local IP address and a port,"
                        + " such as 192.0.2.2:3479, got " + a);
            }
        });
    }

    public StunSettings withEnabled(boolean on) {
        return new StunSettings(on, alternate);
    }

    public StunSettings withAlternate(Optional<InetSocketAddress> address) {
        return new StunSettings(enabled, address);
    }
}
