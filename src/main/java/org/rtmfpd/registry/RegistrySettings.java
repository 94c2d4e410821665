package org.rtmfpd.registry;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The name registry's settings ({@code registry-*} in rtmfpd.conf; docs/configuration.md).
 *
 * @param listen         TCP address of the HTTP service; the registry is off when empty
 * @param open           register peers that are not connected with the key, and show every live name
 * @param expiryMs       a registration not refreshed for longer than this expires
 * @param allowDomains   the domains the cross-domain policy allows ({@code *}: all)
 * @param maxConnections most HTTP connections open at once
 */
public record RegistrySettings(Optional<InetSocketAddress> listen, boolean open, int expiryMs,
        List<String> allowDomains, int maxConnections) {
    /**
     * Default expiry: the Stratus sample refreshes every 30 minutes, so a little over that lets one
     * late refresh through (the original reg.cgi kept names an hour).
     */
    public static final int DEFAULT_EXPIRY_MS = 35 * 60_000;
    public static final int MIN_EXPIRY_MS = 60_000;
    public static final int MAX_EXPIRY_MS = 86_400_000;
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int MAX_MAX_CONNECTIONS = 100_000;
    /** Off, with the defaults for when it is turned on. */
    public static final RegistrySettings DEFAULTS = new RegistrySettings(Optional.empty(), false, DEFAULT_EXPIRY_MS,
            CrossDomainPolicy.ALLOW_ALL, DEFAULT_MAX_CONNECTIONS);

    public RegistrySettings {
        Objects.requireNonNull(listen, "listen");
        listen.ifPresent(a -> {
            if (a.isUnresolved()) {
                throw new IllegalArgumentException("registry-listen: " + a + " is not a numeric address");
            }
        });
        if (expiryMs < MIN_EXPIRY_MS || expiryMs > MAX_EXPIRY_MS) {
            throw new IllegalArgumentException("registry-expiry-ms must be from " + MIN_EXPIRY_MS + " to "
                    + MAX_EXPIRY_MS + ", got " + expiryMs);
        }
        allowDomains = List.copyOf(allowDomains);
        CrossDomainPolicy.render(allowDomains);
        if (maxConnections < 1 || maxConnections > MAX_MAX_CONNECTIONS) {
            throw new IllegalArgumentException("registry-max-connections must be from 1 to " + MAX_MAX_CONNECTIONS
                    + ", got " + maxConnections);
        }
    }

    public RegistrySettings withListen(Optional<InetSocketAddress> address) {
        return new RegistrySettings(address, open, expiryMs, allowDomains, maxConnections);
    }

    public RegistrySettings withOpen(boolean o) {
        return new RegistrySettings(listen, o, expiryMs, allowDomains, maxConnections);
    }

    public RegistrySettings withExpiryMs(int ms) {
        return new RegistrySettings(listen, open, ms, allowDomains, maxConnections);
    }

    public RegistrySettings withAllowDomains(List<String> domains) {
        return new RegistrySettings(listen, open, expiryMs, domains, maxConnections);
    }

    public RegistrySettings withMaxConnections(int max) {
        return new RegistrySettings(listen, open, expiryMs, allowDomains, max);
    }
}
