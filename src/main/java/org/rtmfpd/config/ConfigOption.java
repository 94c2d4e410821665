package org.rtmfpd.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.rtmfpd.cluster.ClusterSettings;
import org.rtmfpd.nat.StunSettings;
import org.rtmfpd.registry.CrossDomainPolicy;
import org.rtmfpd.registry.RegistrySettings;
import org.rtmfpd.rendezvous.DeveloperKey;

/**
 * The settings of rtmfpd.conf, named as the long command-line options without their dashes
 * ({@code peer-cap = 8} in the file is {@code --peer-cap 8} on the command line). Each option parses
 * its own text value into a {@link ServerConfig.Builder}, so that the file and the command line share
 * one parser and one set of messages.
 *
 * <p>A {@linkplain #isFlag() flag} is written {@code name = true} or {@code name = false} in the file and
 * {@code --name} or {@code --no-name} on the command line.
 */
public enum ConfigOption {
    /** UDP address to serve RTMFP on; repeat for several. */
    LISTEN("listen", "HOST:PORT", "0.0.0.0:1935", true,
            "UDP address to serve RTMFP on; repeat the line for several (for IPv6: [::]:1935)"),
    /** The developer-keys file. */
    DEVELOPER_KEYS("developer-keys", "FILE", "config/developer-keys.conf", false,
            "the developer-keys file (relative paths are from the working directory)"),
    /** The peer cap of keys that set none. */
    PEER_CAP("peer-cap", "N", "5", false,
            "most distinct connected peers one peer is introduced to, and most member IDs a NetGroup join"
                    + " receives (1 to " + DeveloperKey.MAX_PEER_CAP + "); a key may set its own"),
    /** DH groups offered to clients. */
    DH_GROUPS("dh-groups", "LIST", "2,5,14", false,
            "Diffie-Hellman groups offered in RHello, from 2, 5, 14 and 16 (Flash Player needs 2)"),
    /** Keepalive period for the client-server session. */
    SERVER_KEEPALIVE_MS("server-keepalive-ms", "MS", "15000", false,
            "keepalive period, in milliseconds, that clients use on their session with the server ("
                    + ServerConfig.MIN_KEEPALIVE_MS + " to " + ServerConfig.MAX_KEEPALIVE_MS + ")"),
    /** Keepalive period for peer-to-peer sessions. */
    PEER_KEEPALIVE_MS("peer-keepalive-ms", "MS", "10000", false,
            "keepalive period, in milliseconds, that clients use on their sessions with peers ("
                    + ServerConfig.MIN_KEEPALIVE_MS + " to " + ServerConfig.MAX_KEEPALIVE_MS + ")"),
    /** Bound on queued DH computations. */
    DH_QUEUE_LIMIT("dh-queue-limit", "N", "16", false,
            "most IIKeyings waiting for Diffie-Hellman work; further ones are dropped and counted (1 to "
                    + ServerConfig.MAX_DH_QUEUE_LIMIT + ")"),
    /** Metrics endpoint address. */
    METRICS_LISTEN("metrics-listen", "HOST:PORT", "none", false,
            "TCP address of the Prometheus text endpoint (/metrics), port required; none when not set"),
    /** Logback configuration. */
    LOG_CONFIG("log-config", "FILE", "none", false,
            "a logback configuration file to use instead of the built-in logging setup"),
    /** Log line format of the built-in logging setup. */
    LOG_FORMAT("log-format", "text|json", "text", false,
            "text (human lines) or json (one JSON object per line, for a log collector); not used with log-config"),
    /** Introductions for initiators without a session. */
    OPEN_INTRODUCTIONS("open-introductions", "false",
            "also introduce initiators that hold no session with this server"),
    /** Sessions the server holds at most. */
    MAX_SESSIONS("max-sessions", "N", String.valueOf(AdmissionLimits.DEFAULT_MAX_SESSIONS), false,
            "most sessions the server holds; new clients past it are refused (1 to " + ServerConfig.MAX_SESSIONS_LIMIT + ")"),
    /** Sessions one source holds at most. */
    MAX_SESSIONS_PER_SOURCE("max-sessions-per-source", "N", String.valueOf(AdmissionLimits.DEFAULT_MAX_SESSIONS_PER_SOURCE),
            false, "most sessions one source (an IPv4 address or an IPv6 /64) holds (1 to "
                    + ServerConfig.MAX_SESSIONS_LIMIT + ")"),
    /** Handshakes one source has waiting for DH work at most. */
    MAX_HANDSHAKES_PER_SOURCE("max-handshakes-per-source", "N",
            String.valueOf(AdmissionLimits.DEFAULT_MAX_HANDSHAKES_PER_SOURCE), false,
            "most IIKeyings of one source waiting for Diffie-Hellman work (1 to " + ServerConfig.MAX_DH_QUEUE_LIMIT + ")"),
    /** New IIKeyings one source may send a second. */
    IIKEYINGS_PER_SECOND_PER_SOURCE("iikeyings-per-second-per-source", "N",
            String.valueOf(AdmissionLimits.DEFAULT_IIKEYINGS_PER_SECOND_PER_SOURCE), false,
            "new IIKeyings one source may send a second, in bursts of twice as many (1 to "
                    + ServerConfig.MAX_IIKEYINGS_PER_SECOND + ")"),
    /** Time a session has to connect after its handshake. */
    CONNECT_TIMEOUT_MS("connect-timeout-ms", "MS", String.valueOf(ServerConfig.DEFAULT_CONNECT_TIMEOUT_MS), false,
            "a session that has not sent connect this long after its handshake is closed ("
                    + ServerConfig.MIN_CONNECT_TIMEOUT_MS + " to " + ServerConfig.MAX_CONNECT_TIMEOUT_MS + ")"),
    /** The name registry's HTTP address. */
    REGISTRY_LISTEN("registry-listen", "HOST:PORT", "none", false,
            "TCP address of the Stratus sample's HTTP name registry (docs/registry.md), port required; off when"
                    + " not set"),
    /** Name registry without the connected-peer rule. */
    REGISTRY_OPEN("registry-open", "false",
            "let the name registry register peer IDs that are not connected with the key, and show every live"
                    + " name"),
    /** Name registry expiry. */
    REGISTRY_EXPIRY_MS("registry-expiry-ms", "MS", String.valueOf(RegistrySettings.DEFAULT_EXPIRY_MS), false,
            "a registered user name not refreshed for this long, in milliseconds, expires ("
                    + RegistrySettings.MIN_EXPIRY_MS + " to " + RegistrySettings.MAX_EXPIRY_MS + ")"),
    /** Domains of the name registry's cross-domain policy. */
    REGISTRY_ALLOW_DOMAINS("registry-allow-domains", "LIST", "*", false,
            "domains whose SWFs may call the name registry (its /crossdomain.xml), comma-separated; * for all"),
    /** Name registry connection cap. */
    REGISTRY_MAX_CONNECTIONS("registry-max-connections", "N", String.valueOf(RegistrySettings.DEFAULT_MAX_CONNECTIONS),
            false, "most HTTP connections the name registry holds open at once (1 to "
                    + RegistrySettings.MAX_MAX_CONNECTIONS + ")"),
    /** STUN on the listen addresses. */
    STUN("stun", "true",
            "answer STUN Binding requests (RFC 8489) on the RTMFP listen addresses, for NAT checks (docs/nat.md)"),
    /** RFC 5780's second address. */
    STUN_ALTERNATE("stun-alternate", "IP2:PORT2", "none", false,
            "a second local IP address and a second port: STUN is also answered on IP1:PORT2, IP2:PORT1 and"
                    + " IP2:PORT2, so that clients can tell how their NAT maps and filters (RFC 5780); IP1 is the"
                    + " first listen address of that family, which must then name an address"),
    /** Cluster mode's Redis. */
    CLUSTER_REDIS("cluster-redis", "URI", "none", false,
            "Redis (or Valkey) that the nodes of a cluster share (docs/cluster.md): redis://HOST:PORT[/DB],"
                    + " rediss://..., redis-sentinel://... or redis-cluster://HOST:PORT,HOST:PORT; off when not set"),
    /** The Redis password, from a file. */
    CLUSTER_REDIS_PASSWORD_FILE("cluster-redis-password-file", "FILE", "none", false,
            "a file whose first line is the Redis password, instead of a password in the URI"),
    /** The CAs trusted for rediss://. */
    CLUSTER_REDIS_CA_FILE("cluster-redis-ca-file", "FILE", "none", false,
            "PEM file of the CA certificates that sign the Redis servers' TLS certificates (rediss://)"),
    /** Prefix of the cluster's Redis keys. */
    CLUSTER_NAMESPACE("cluster-namespace", "NAME", ClusterSettings.DEFAULT_NAMESPACE, false,
            "prefix of every Redis key and channel of the cluster, so that several clusters can share one Redis"),
    /** This node's name. */
    NODE_ID("node-id", "NAME", "none", false,
            "this node's name in the cluster (letters, digits, _ . : -); a fresh one at each start when not set"),
    /** Public addresses of this node. */
    ADVERTISE("advertise", "HOST:PORT", "none", true,
            "the public IP address and port clients reach this server at, when it differs from listen (NAT, load"
                    + " balancer): cluster nodes give it to each other, and behind a port forward peers on the"
                    + " server's own LAN are given to outside peers at it (docs/nat.md); repeat the line for several"),
    /** Node liveness. */
    CLUSTER_NODE_LIFETIME_MS("cluster-node-lifetime-ms", "MS", String.valueOf(ClusterSettings.DEFAULT_NODE_LIFETIME_MS),
            false, "a node silent for this long is dead: its peers are no longer introduced or handed out ("
                    + ClusterSettings.MIN_NODE_LIFETIME_MS + " to " + ClusterSettings.MAX_NODE_LIFETIME_MS + ")"),
    /** Redis call timeout. */
    CLUSTER_REDIS_TIMEOUT_MS("cluster-redis-timeout-ms", "MS", String.valueOf(ClusterSettings.DEFAULT_REDIS_TIMEOUT_MS),
            false, "a Redis call not answered this long fails and the node decides alone ("
                    + ClusterSettings.MIN_REDIS_TIMEOUT_MS + " to " + ClusterSettings.MAX_REDIS_TIMEOUT_MS + ")"),
    /** The drain's bound. */
    DRAIN_TIMEOUT_MS("drain-timeout-ms", "MS", String.valueOf(ClusterSettings.DEFAULT_DRAIN_TIMEOUT_MS), false,
            "after SIGUSR1 the node drains (new clients go to other nodes) and stops once its clients have left or"
                    + " after this long (0 to " + ClusterSettings.MAX_DRAIN_TIMEOUT_MS + ")");

    /** The value label of flags: the two values the file accepts. */
    public static final String FLAG_VALUES = "true|false";

    private final String optionName;
    private final String valueLabel;
    private final String defaultText;
    private final boolean repeatable;
    private final String description;
    private final boolean flag;

    ConfigOption(String optionName, String valueLabel, String defaultText, boolean repeatable, String description) {
        this(optionName, valueLabel, defaultText, repeatable, description, false);
    }

    /** A flag: {@code true} or {@code false} in the file, {@code --name} or {@code --no-name} on the command line. */
    ConfigOption(String optionName, String defaultText, String description) {
        this(optionName, FLAG_VALUES, defaultText, false, description, true);
    }

    ConfigOption(String optionName, String valueLabel, String defaultText, boolean repeatable,
            String description, boolean flag) {
        this.optionName = optionName;
        this.valueLabel = valueLabel;
        this.defaultText = defaultText;
        this.repeatable = repeatable;
        this.description = description;
        this.flag = flag;
    }

    /** The name in rtmfpd.conf, such as {@code peer-cap}. */
    public String optionName() {
        return optionName;
    }

    /** The command-line spelling, such as {@code --peer-cap}. */
    public String longOption() {
        return "--" + optionName;
    }

    /**
     * Whether this is an on/off setting: {@code true} or {@code false} in the file, and on the command
     * line {@link #longOption()} to turn it on and {@link #negatedLongOption()} to turn it off.
     */
    public boolean isFlag() {
        return flag;
    }

    /** The command-line spelling that turns a flag off, such as {@code --no-open-introductions}. */
    public String negatedLongOption() {
        if (!flag) {
            throw new IllegalStateException(optionName + " is not a flag");
        }
        return "--no-" + optionName;
    }

    /** What the value looks like, such as {@code N}, {@code HOST:PORT} or {@code true|false}. */
    public String valueLabel() {
        return valueLabel;
    }

    /** The default, as it would be written in the file ({@code none} when unset). */
    public String defaultText() {
        return defaultText;
    }

    /** Whether the option may be given more than once (its values accumulate). */
    public boolean repeatable() {
        return repeatable;
    }

    /** One line for help texts. */
    public String description() {
        return description;
    }

    /**
     * Parses {@code value} into {@code builder}. For {@link #LISTEN} this adds an address (see
     * {@link ServerConfig.Builder#addListen}); every other option replaces its value. Throws
     * IllegalArgumentException with a message that starts with the option name and says what a good
     * value looks like.
     */
    public void apply(ServerConfig.Builder builder, String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(optionName + " has no value; expected " + valueLabel);
        }
        try {
            switch (this) {
                case LISTEN -> builder.addListen(ListenAddress.parse(v, ServerConfig.DEFAULT_PORT));
                case DEVELOPER_KEYS -> builder.developerKeys(path(v));
                case PEER_CAP -> builder.peerCap(number(v, 1, DeveloperKey.MAX_PEER_CAP));
                case DH_GROUPS -> builder.dhGroups(groups(v));
                case SERVER_KEEPALIVE_MS -> builder.serverKeepaliveMs(
                        number(v, ServerConfig.MIN_KEEPALIVE_MS, ServerConfig.MAX_KEEPALIVE_MS));
                case PEER_KEEPALIVE_MS -> builder.peerKeepaliveMs(
                        number(v, ServerConfig.MIN_KEEPALIVE_MS, ServerConfig.MAX_KEEPALIVE_MS));
                case DH_QUEUE_LIMIT -> builder.dhQueueLimit(number(v, 1, ServerConfig.MAX_DH_QUEUE_LIMIT));
                case METRICS_LISTEN -> builder.metricsListen(Optional.of(ListenAddress.parse(v, -1)));
                case LOG_CONFIG -> builder.logConfig(Optional.of(path(v)));
                case LOG_FORMAT -> builder.logFormat(LogFormat.parse(v));
                case OPEN_INTRODUCTIONS -> builder.openIntroductions(bool(v));
                case MAX_SESSIONS -> builder.maxSessions(number(v, 1, ServerConfig.MAX_SESSIONS_LIMIT));
                case MAX_SESSIONS_PER_SOURCE -> builder.maxSessionsPerSource(number(v, 1, ServerConfig.MAX_SESSIONS_LIMIT));
                case MAX_HANDSHAKES_PER_SOURCE -> builder.maxHandshakesPerSource(number(v, 1, ServerConfig.MAX_DH_QUEUE_LIMIT));
                case IIKEYINGS_PER_SECOND_PER_SOURCE -> builder.iikeyingsPerSecondPerSource(
                        number(v, 1, ServerConfig.MAX_IIKEYINGS_PER_SECOND));
                case CONNECT_TIMEOUT_MS -> builder.connectTimeoutMs(
                        number(v, ServerConfig.MIN_CONNECT_TIMEOUT_MS, ServerConfig.MAX_CONNECT_TIMEOUT_MS));
                case REGISTRY_LISTEN -> builder.registry(builder.registry()
                        .withListen(Optional.of(ListenAddress.parse(v, -1))));
                case REGISTRY_OPEN -> builder.registry(builder.registry().withOpen(bool(v)));
                case REGISTRY_EXPIRY_MS -> builder.registry(builder.registry().withExpiryMs(
                        number(v, RegistrySettings.MIN_EXPIRY_MS, RegistrySettings.MAX_EXPIRY_MS)));
                case REGISTRY_ALLOW_DOMAINS -> builder.registry(builder.registry().withAllowDomains(domains(v)));
                case REGISTRY_MAX_CONNECTIONS -> builder.registry(builder.registry().withMaxConnections(
                        number(v, 1, RegistrySettings.MAX_MAX_CONNECTIONS)));
                case STUN -> builder.stun(builder.stun().withEnabled(bool(v)));
                case STUN_ALTERNATE -> builder.stun(builder.stun().withAlternate(Optional.of(ListenAddress.parse(v, -1))));
                case CLUSTER_REDIS -> builder.cluster(builder.cluster().withRedis(Optional.of(redisUri(v))));
                case CLUSTER_REDIS_PASSWORD_FILE -> builder.cluster(builder.cluster()
                        .withRedisPasswordFile(Optional.of(path(v))));
                case CLUSTER_REDIS_CA_FILE -> builder.cluster(builder.cluster().withRedisCaFile(Optional.of(path(v))));
                case CLUSTER_NAMESPACE -> builder.cluster(builder.cluster().withNamespace(v));
                case NODE_ID -> builder.cluster(builder.cluster().withNodeId(Optional.of(v)));
                case ADVERTISE -> {
                    advertised(v);
                    builder.cluster(builder.cluster().withAdvertise(v));
                }
                case CLUSTER_NODE_LIFETIME_MS -> builder.cluster(builder.cluster().withNodeLifetimeMs(
                        number(v, ClusterSettings.MIN_NODE_LIFETIME_MS, ClusterSettings.MAX_NODE_LIFETIME_MS)));
                case CLUSTER_REDIS_TIMEOUT_MS -> builder.cluster(builder.cluster().withRedisTimeoutMs(
                        number(v, ClusterSettings.MIN_REDIS_TIMEOUT_MS, ClusterSettings.MAX_REDIS_TIMEOUT_MS)));
                case DRAIN_TIMEOUT_MS -> builder.cluster(builder.cluster().withDrainTimeoutMs(
                        number(v, 0, ClusterSettings.MAX_DRAIN_TIMEOUT_MS)));
                default -> throw new IllegalStateException(name());
            }
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            String named = m.startsWith(optionName) ? m
                    : m.startsWith("must ") ? optionName + " " + m
                    : optionName + ": " + m;
            throw new IllegalArgumentException(named, e);
        }
    }

    /**
     * Checks an advertised address: numeric, since the cluster hands it to clients in Redirects (RFC 7016
     * §2.3.5 carries addresses, not names), and one a client can reach.
     */
    private static void advertised(String v) {
        java.net.InetSocketAddress a;
        try {
            a = ListenAddress.parse(v, ServerConfig.DEFAULT_PORT);
        } catch (IllegalArgumentException e) {
            if (e.getMessage().contains("does not look up host names")) {
                throw new IllegalArgumentException("'" + v + "' is not an IP address; the other nodes hand this address"
                        + " to clients, which need a numeric one: give the public IP address, such as"
                        + " 203.0.113.10:1935 or [2001:db8::10]:1935");
            }
            throw e;
        }
        if (a.getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException("'" + v + "' is not an address a client can reach; give the public IP"
                    + " address, such as 203.0.113.10:1935");
        }
    }

    /** A Redis URI of one of the schemes cluster mode takes; the rest is checked when it connects. */
    private static String redisUri(String v) {
        for (String scheme : List.of("redis://", "rediss://", "redis-sentinel://", "rediss-sentinel://",
                "redis-cluster://", "rediss-cluster://")) {
            if (v.startsWith(scheme) && v.length() > scheme.length()) {
                return v;
            }
        }
        throw new IllegalArgumentException("must be a Redis URI such as redis://127.0.0.1:6379/0 (also rediss://,"
                + " redis-sentinel://, redis-cluster://HOST:PORT,HOST:PORT), got '" + LogSafeUri.masked(v) + "'");
    }

    private static boolean bool(String v) {
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false, got '" + v + "'");
        };
    }

    /** The option called {@code name} in the file (exact spelling). */
    public static Optional<ConfigOption> byName(String name) {
        for (ConfigOption o : values()) {
            if (o.optionName.equals(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** A likely intended option for a misspelt name ({@code Peer_Cap}, {@code --peer-cap}, {@code peercap}). */
    public static Optional<ConfigOption> suggest(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        while (n.startsWith("-")) {
            n = n.substring(1);
        }
        for (ConfigOption o : values()) {
            if (o.optionName.equals(n) || o.optionName.replace("-", "").equals(n.replace("-", ""))) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** All option names, comma-separated, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(ConfigOption::optionName).collect(Collectors.joining(", "));
    }

    private static int number(String v, int min, int max) {
        if (v.length() > 10 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("must be a whole number from " + min + " to " + max + ", got '" + v + "'");
        }
        long n = Long.parseLong(v);
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be a whole number from " + min + " to " + max + ", got '" + v + "'");
        }
        return (int) n;
    }

    private static List<Integer> groups(String v) {
        List<Integer> out = new ArrayList<>();
        for (String part : v.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("expected group numbers separated by commas, such as 2,14;"
                        + " got '" + part + "'");
            }
            out.add(Integer.parseInt(part));
        }
        ServerConfig.checkDhGroups(out);
        return out;
    }

    private static List<String> domains(String v) {
        List<String> out = new ArrayList<>();
        for (String part : v.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            String problem = CrossDomainPolicy.problem(part);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            out.add(part);
        }
        if (out.isEmpty() || out.size() > CrossDomainPolicy.MAX_DOMAINS) {
            throw new IllegalArgumentException("list 1 to " + CrossDomainPolicy.MAX_DOMAINS
                    + " domains, such as example.com,*.example.org, or * for all");
        }
        return out;
    }

    private static Path path(String v) {
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + v + "' is not a usable file name (" + e.getReason() + ")");
        }
    }
}
