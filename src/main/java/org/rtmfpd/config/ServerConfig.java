package org.rtmfpd.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.rtmfpd.cluster.ClusterSettings;
import org.rtmfpd.registry.RegistrySettings;
import org.rtmfpd.rendezvous.DeveloperKey;

/**
 * The server's settings, immutable and checked. Built from the defaults, then the configuration file,
 * then the command line, each overriding the one before:
 * <pre>
 * ServerConfig.Builder b = ServerConfig.builder();
 * ConfigFile.read(Path.of("config/rtmfpd.conf"), b);
 * ConfigOption.PEER_CAP.apply(b, "8");   // for each option on the command line
 * ServerConfig config = b.build();
 * </pre>
 * See {@link ConfigOption} for each setting and docs/configuration.md for the operator's view.
 *
 * @param listen            UDP addresses to serve RTMFP on (at least one)
 * @param developerKeys     the developer-keys file
 * @param peerCap           the peer cap of keys that set none (see docs/rendezvous.md)
 * @param dhGroups          Diffie-Hellman groups offered in RHello, in order, from {2, 5, 14, 16}
 * @param serverKeepaliveMs keepalive period sent to clients for their session with the server
 * @param peerKeepaliveMs   keepalive period sent to clients for their sessions with peers
 * @param dhQueueLimit      IIKeyings waiting for DH work beyond which further ones are dropped
 * @param metricsListen     TCP address of the Prometheus text endpoint, if any
 * @param logConfig         a logback configuration file to use instead of the built-in one, if any
 * @param logFormat         the line format of the built-in logging setup
 * @param openIntroductions  also introduce initiators that hold no session with the server
 * @param admission         the bounds on who may start a session (max-sessions and the per-source limits)
 * @param connectTimeoutMs  a session that has not connected this long after its handshake is closed
 * @param registry          the HTTP name registry's settings (off unless it has a listen address)
 * @param cluster           cluster mode's settings (off unless it has a Redis URI)
 */
public record ServerConfig(
        List<InetSocketAddress> listen,
        Path developerKeys,
        int peerCap,
        List<Integer> dhGroups,
        int serverKeepaliveMs,
        int peerKeepaliveMs,
        int dhQueueLimit,
        Optional<InetSocketAddress> metricsListen,
        Optional<Path> logConfig,
        LogFormat logFormat,
        boolean openIntroductions,
        AdmissionLimits admission,
        int connectTimeoutMs,
        RegistrySettings registry,
        ClusterSettings cluster) {

    public static final int DEFAULT_PORT = 1935;
    public static final Path DEFAULT_DEVELOPER_KEYS = Path.of("config", "developer-keys.conf");
    public static final int DEFAULT_PEER_CAP = 5;
    public static final List<Integer> DEFAULT_DH_GROUPS = List.of(2, 5, 14);
    public static final Set<Integer> SUPPORTED_DH_GROUPS = Set.of(2, 5, 14, 16);
    public static final int DEFAULT_SERVER_KEEPALIVE_MS = 15_000;
    public static final int DEFAULT_PEER_KEEPALIVE_MS = 10_000;
    /** Clients raise shorter keepalive periods to 5 s (RFC 7425 §5.3.4), so shorter ones are refused. */
    public static final int MIN_KEEPALIVE_MS = 5_000;
    public static final int MAX_KEEPALIVE_MS = 3_600_000;
    public static final int DEFAULT_DH_QUEUE_LIMIT = 16;
    public static final int MAX_DH_QUEUE_LIMIT = 10_000;
    public static final int MAX_SESSIONS_LIMIT = 10_000_000;
    public static final int MAX_IIKEYINGS_PER_SECOND = 100_000;
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
    public static final int MIN_CONNECT_TIMEOUT_MS = 1_000;
    public static final int MAX_CONNECT_TIMEOUT_MS = 600_000;

    public ServerConfig {
        listen = List.copyOf(listen);
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("listen: at least one address is needed");
        }
        for (InetSocketAddress a : listen) {
            if (a.isUnresolved()) {
                throw new IllegalArgumentException("listen: " + a + " is not a numeric address");
            }
        }
        if (new LinkedHashSet<>(listen).size() != listen.size()) {
            throw new IllegalArgumentException("listen: the same address is given twice");
        }
        Objects.requireNonNull(developerKeys, "developerKeys");
        check("peer-cap", peerCap, 1, DeveloperKey.MAX_PEER_CAP);
        dhGroups = List.copyOf(dhGroups);
        checkDhGroups(dhGroups);
        check("server-keepalive-ms", serverKeepaliveMs, MIN_KEEPALIVE_MS, MAX_KEEPALIVE_MS);
        check("peer-keepalive-ms", peerKeepaliveMs, MIN_KEEPALIVE_MS, MAX_KEEPALIVE_MS);
        check("dh-queue-limit", dhQueueLimit, 1, MAX_DH_QUEUE_LIMIT);
        Objects.requireNonNull(metricsListen, "metricsListen");
        metricsListen.ifPresent(a -> {
            if (a.isUnresolved()) {
                throw new IllegalArgumentException("metrics-listen: " + a + " is not a numeric address");
            }
        });
        Objects.requireNonNull(logConfig, "logConfig");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(admission, "admission");
        check("max-sessions", admission.maxSessions(), 1, MAX_SESSIONS_LIMIT);
        check("max-sessions-per-source", admission.maxSessionsPerSource(), 1, MAX_SESSIONS_LIMIT);
        check("max-handshakes-per-source", admission.maxHandshakesPerSource(), 1, MAX_DH_QUEUE_LIMIT);
        check("iikeyings-per-second-per-source", admission.iikeyingsPerSecondPerSource(), 1, MAX_IIKEYINGS_PER_SECOND);
        check("connect-timeout-ms", connectTimeoutMs, MIN_CONNECT_TIMEOUT_MS, MAX_CONNECT_TIMEOUT_MS);
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(cluster, "cluster");
        if (!cluster.enabled() && !cluster.advertise().isEmpty()) {
            throw new IllegalArgumentException("advertise: only cluster mode uses it (the address a node gives the"
                    + " other nodes for its clients); set cluster-redis, or leave advertise out");
        }
    }

    /** The settings rtmfpd uses with no configuration file and no options. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.listen.clear();
        b.listen.addAll(listen);
        b.developerKeys = developerKeys;
        b.peerCap = peerCap;
        b.dhGroups = dhGroups;
        b.serverKeepaliveMs = serverKeepaliveMs;
        b.peerKeepaliveMs = peerKeepaliveMs;
        b.dhQueueLimit = dhQueueLimit;
        b.metricsListen = metricsListen;
        b.logConfig = logConfig;
        b.logFormat = logFormat;
        b.openIntroductions = openIntroductions;
        b.admission = admission;
        b.connectTimeoutMs = connectTimeoutMs;
        b.registry = registry;
        b.cluster = cluster;
        return b;
    }

    static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", got " + value);
        }
    }

    static void checkDhGroups(List<Integer> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("dh-groups: at least one group is needed (2 for Flash Player)");
        }
        for (int g : groups) {
            if (!SUPPORTED_DH_GROUPS.contains(g)) {
                throw new IllegalArgumentException("dh-groups: group " + g + " is not supported; choose from 2, 5, 14"
                        + " and 16");
            }
        }
        if (new LinkedHashSet<>(groups).size() != groups.size()) {
            throw new IllegalArgumentException("dh-groups: a group is listed twice");
        }
    }

    /** Collects settings; {@link #build()} checks them together. Not thread-safe. */
    public static final class Builder {
        private final List<InetSocketAddress> listen = new ArrayList<>(List.of(ListenAddress.parse("0.0.0.0",
                DEFAULT_PORT)));
        private boolean listenTouched;
        private Path developerKeys = DEFAULT_DEVELOPER_KEYS;
        private int peerCap = DEFAULT_PEER_CAP;
        private List<Integer> dhGroups = DEFAULT_DH_GROUPS;
        private int serverKeepaliveMs = DEFAULT_SERVER_KEEPALIVE_MS;
        private int peerKeepaliveMs = DEFAULT_PEER_KEEPALIVE_MS;
        private int dhQueueLimit = DEFAULT_DH_QUEUE_LIMIT;
        private Optional<InetSocketAddress> metricsListen = Optional.empty();
        private Optional<Path> logConfig = Optional.empty();
        private LogFormat logFormat = LogFormat.TEXT;
        private boolean openIntroductions;
        private AdmissionLimits admission = AdmissionLimits.DEFAULT;
        private int connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
        private RegistrySettings registry = RegistrySettings.DEFAULTS;
        private ClusterSettings cluster = ClusterSettings.DEFAULTS;

        private Builder() {
        }

        /** Replaces the listen addresses. */
        public Builder listen(List<InetSocketAddress> addresses) {
            listen.clear();
            listen.addAll(addresses);
            listenTouched = true;
            return this;
        }

        /**
         * Adds a listen address. The first call replaces the addresses held so far (the defaults, or
         * those of the layer before: see {@link #resetListen}); later calls add to the list, so
         * repeated {@code listen} lines accumulate.
         */
        public Builder addListen(InetSocketAddress address) {
            if (!listenTouched) {
                listen.clear();
                listenTouched = true;
            }
            Objects.requireNonNull(address, "address");
            if (listen.contains(address)) {
                throw new IllegalArgumentException(ListenAddress.format(address) + " is already listed");
            }
            listen.add(address);
            return this;
        }

        /**
         * Ends a layer: the addresses held so far stay unless {@link #addListen} is called again, and
         * then they are replaced rather than added to. {@link ConfigFile} calls this after the file, so
         * that {@code --listen} on the command line replaces the file's addresses.
         */
        public Builder resetListen() {
            listenTouched = false;
            return this;
        }

        public Builder developerKeys(Path file) {
            developerKeys = Objects.requireNonNull(file, "file");
            return this;
        }

        public Builder peerCap(int cap) {
            peerCap = cap;
            return this;
        }

        public Builder dhGroups(List<Integer> groups) {
            dhGroups = List.copyOf(groups);
            return this;
        }

        public Builder serverKeepaliveMs(int ms) {
            serverKeepaliveMs = ms;
            return this;
        }

        public Builder peerKeepaliveMs(int ms) {
            peerKeepaliveMs = ms;
            return this;
        }

        public Builder dhQueueLimit(int limit) {
            dhQueueLimit = limit;
            return this;
        }

        public Builder metricsListen(Optional<InetSocketAddress> address) {
            metricsListen = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder logConfig(Optional<Path> file) {
            logConfig = Objects.requireNonNull(file, "file");
            return this;
        }

        public Builder logFormat(LogFormat format) {
            logFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /** The checked settings; throws IllegalArgumentException naming the option at fault. */
        public Builder openIntroductions(boolean open) {
            openIntroductions = open;
            return this;
        }

        public Builder maxSessions(int n) {
            admission = admission.withMaxSessions(n);
            return this;
        }

        public Builder maxSessionsPerSource(int n) {
            admission = admission.withMaxSessionsPerSource(n);
            return this;
        }

        public Builder maxHandshakesPerSource(int n) {
            admission = admission.withMaxHandshakesPerSource(n);
            return this;
        }

        public Builder iikeyingsPerSecondPerSource(int n) {
            admission = admission.withIikeyingsPerSecondPerSource(n);
            return this;
        }

        public Builder connectTimeoutMs(int ms) {
            connectTimeoutMs = ms;
            return this;
        }

        /** The name registry's settings held so far. */
        public RegistrySettings registry() {
            return registry;
        }

        public Builder registry(RegistrySettings settings) {
            registry = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Cluster mode's settings held so far. */
        public ClusterSettings cluster() {
            return cluster;
        }

        public Builder cluster(ClusterSettings settings) {
            cluster = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(listen, developerKeys, peerCap, dhGroups, serverKeepaliveMs, peerKeepaliveMs,
                    dhQueueLimit, metricsListen, logConfig, logFormat, openIntroductions, admission, connectTimeoutMs,
                    registry, cluster);
        }
    }
}
