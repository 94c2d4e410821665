package org.rtmfpd.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rtmfpd.rendezvous.DeveloperKeyStore;
import org.rtmfpd.rendezvous.DeveloperKeysException;
import org.rtmfpd.config.ConfigDirectory;
import org.rtmfpd.config.ConfigException;
import org.rtmfpd.config.ConfigFile;
import org.rtmfpd.config.ConfigOption;
import org.rtmfpd.config.LogFormat;
import org.rtmfpd.server.ListenException;
import org.rtmfpd.server.MetricsEndpoint;
import org.rtmfpd.server.RtmfpServer;
import org.rtmfpd.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rtmfpd serve}: reads rtmfpd.conf, lets the command line override it, and runs the server until
 * SIGTERM or SIGINT (a polite close of every session, then exit 0); SIGHUP reloads the developer keys.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the rendezvous server.",
        footer = {"", "Every option can also be set in the configuration file as 'name = value' (--x and --no-x as"
                + " 'x = true' and 'x = false'); the command line wins."})
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    private static final long SHUTDOWN_GRACE_MILLIS = 3_000;
    /** The most a stop may take, whatever hangs: then the process exits 1 (under systemd's TimeoutStopSec). */
    private static final long SHUTDOWN_LIMIT_MILLIS = 10_000;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (default: rtmfpd.conf in $RTMFPD_CONFIG_DIR when it exists: /etc/rtmfpd for the"
                    + " installed package, config/ in a source tree).")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "UDP address to listen on, repeatable (default: 0.0.0.0:1935; [::]:1935 for IPv6).")
    List<String> listen;

    @Option(names = "--developer-keys", paramLabel = "FILE", description = "Developer keys file (default: developer-keys.conf in $RTMFPD_CONFIG_DIR).")
    String developerKeys;

    @Option(names = "--peer-cap", paramLabel = "N",
            description = "Most peers one peer is introduced to, and most members a NetGroup join receives (default: 5).")
    String peerCap;

    @Option(names = "--dh-groups", paramLabel = "LIST", description = "Diffie-Hellman groups offered, from 2, 5, 14, 16 (default: 2,5,14, as Stratus).")
    String dhGroups;

    @Option(names = "--server-keepalive-ms", paramLabel = "MS", description = "Keepalive period clients use with the server (default: 15000).")
    String serverKeepalive;

    @Option(names = "--peer-keepalive-ms", paramLabel = "MS", description = "Keepalive period clients use with peers (default: 10000).")
    String peerKeepalive;

    @Option(names = "--dh-queue-limit", paramLabel = "N", description = "Most IIKeyings waiting for DH work (default: 16).")
    String dhQueueLimit;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", description = "Serve Prometheus metrics on GET /metrics here (default: off).")
    String metricsListen;

    @Option(names = "--log-config", paramLabel = "FILE", description = "A logback configuration file to use.")
    String logConfig;

    @Option(names = "--log-format", paramLabel = "text|json",
            description = "Log lines as text (default) or JSON, one object per line; not used with --log-config.")
    String logFormat;

    @Option(names = "--open-introductions", negatable = true,
            description = "Also introduce initiators that hold no session with this server (default: off).")
    Boolean openIntroductions;

    @Option(names = "--max-sessions", paramLabel = "N", description = "Most sessions the server holds (default: 100000).")
    String maxSessions;

    @Option(names = "--max-sessions-per-source", paramLabel = "N",
            description = "Most sessions one IPv4 address or IPv6 /64 holds (default: 1000).")
    String maxSessionsPerSource;

    @Option(names = "--max-handshakes-per-source", paramLabel = "N",
            description = "Most IIKeyings of one source waiting for DH work (default: 4).")
    String maxHandshakesPerSource;

    @Option(names = "--iikeyings-per-second-per-source", paramLabel = "N",
            description = "New IIKeyings one source may send a second, in bursts of twice as many (default: 20).")
    String iikeyingsPerSecondPerSource;

    @Option(names = "--connect-timeout-ms", paramLabel = "MS",
            description = "Close a session that has not connected this long after its handshake (default: 15000).")
    String connectTimeoutMs;

    @Option(names = "--registry-listen", paramLabel = "HOST:PORT",
            description = "Serve the Stratus sample's HTTP name registry here (default: off).")
    String registryListen;

    @Option(names = "--stun", negatable = true,
            description = "Answer STUN Binding requests on the listen addresses, for NAT checks (default: on).")
    Boolean stun;

    @Option(names = "--stun-alternate", paramLabel = "IP2:PORT2",
            description = "A second local address and port for RFC 5780 NAT behaviour discovery (default: none).")
    String stunAlternate;

    @Option(names = "--registry-open", negatable = true,
            description = "Let the name registry register peers not connected with the key (default: off).")
    Boolean registryOpen;

    @Option(names = "--registry-expiry-ms", paramLabel = "MS",
            description = "A user name not refreshed for this long expires (default: 2100000, 35 minutes).")
    String registryExpiry;

    @Option(names = "--registry-allow-domains", paramLabel = "LIST",
            description = "Domains the name registry's crossdomain.xml allows (default: *).")
    String registryAllowDomains;

    @Option(names = "--registry-max-connections", paramLabel = "N",
            description = "Most HTTP connections the name registry holds open (default: 256).")
    String registryMaxConnections;

    @Option(names = "--cluster-redis", paramLabel = "URI",
            description = "Join the cluster whose nodes share this Redis: redis://HOST:PORT[/DB], rediss://...,"
                    + " redis-sentinel://..., redis-cluster://HOST:PORT,HOST:PORT (default: off, one node).")
    String clusterRedis;

    @Option(names = "--cluster-redis-password-file", paramLabel = "FILE",
            description = "A file whose first line is the Redis password.")
    String clusterRedisPasswordFile;

    @Option(names = "--cluster-redis-ca-file", paramLabel = "FILE",
            description = "PEM file of the CA certificates that sign the Redis servers' TLS certificates (rediss://).")
    String clusterRedisCaFile;

    @Option(names = "--cluster-namespace", paramLabel = "NAME",
            description = "Prefix of the cluster's Redis keys and channels (default: rtmfpd).")
    String clusterNamespace;

    @Option(names = "--node-id", paramLabel = "NAME",
            description = "This node's name in the cluster (default: host name and a random suffix).")
    String nodeId;

    @Option(names = "--advertise", paramLabel = "HOST:PORT",
            description = "The public address clients reach this node at, repeatable (default: the listen addresses).")
    List<String> advertise;

    @Option(names = "--cluster-node-lifetime-ms", paramLabel = "MS",
            description = "A node silent this long is dead and its peers are forgotten (default: 10000).")
    String clusterNodeLifetime;

    @Option(names = "--cluster-redis-timeout-ms", paramLabel = "MS",
            description = "A Redis call not answered this long fails; the node decides alone (default: 1000).")
    String clusterRedisTimeout;

    /** Which configuration file {@link #settings} read, for the start-up log. */
    String configSource = "";

    @Option(names = "--drain-timeout-ms", paramLabel = "MS",
            description = "After SIGUSR1, stop once the clients have left or after this long (default: 60000).")
    String drainTimeout;

    @Override
    public Integer call() throws Exception {
        ServerConfig settings;
        try {
            settings = settings();
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("rtmfpd: " + e.getMessage());
            return 2;
        }
        java.util.Optional<String> logProblem = settings.logConfig().isPresent() ? LogConfig.load(settings.logConfig().get())
                : settings.logFormat() != LogFormat.TEXT ? LogConfig.loadResource(settings.logFormat().resource())
                : java.util.Optional.empty();
        if (logProblem.isPresent()) {
            System.err.println("rtmfpd: log-config: " + logProblem.get() + "; fix the file, or leave log-config out for"
                    + " the built-in setup");
            return 2;
        }
        LOG.info("{}", Version.line());
        LOG.info("{}", configSource);
        DeveloperKeyStore keys;
        try {
            keys = DeveloperKeyStore.load(settings.developerKeys());
        } catch (DeveloperKeysException e) {
            System.err.println("rtmfpd: " + e.getMessage());
            return 2;
        }
        RtmfpServer server;
        try {
            server = RtmfpServer.start(settings, keys);
        } catch (IllegalStateException e) {
            System.err.println("rtmfpd: " + e.getMessage());
            return 1;
        }
        MetricsEndpoint metrics;
        try {
            metrics = settings.metricsListen().isPresent()
                    ? MetricsEndpoint.start(settings.metricsListen().get(), server.metrics()) : null;
        } catch (ListenException e) {
            System.err.println("rtmfpd: " + e.getMessage());
            server.shutdown(0);
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopNow = new java.util.concurrent.atomic.AtomicBoolean();
        Signals.on("TERM", () -> {
            stopNow.set(true);
            stop.countDown();
        });
        Signals.on("INT", () -> {
            stopNow.set(true);
            stop.countDown();
        });
        Signals.on("USR1", stop::countDown); // drain, then stop
        Signals.on("HUP", () -> {
            LogConfig.reload();
            server.reloadKeys();
        });
        stop.await();
        if (!stopNow.get() && !settings.cluster().enabled()) {
            LOG.info("SIGUSR1 without a cluster: no other node to send new clients to, so stopping as on SIGTERM");
        } else if (!stopNow.get()) {
            long limit = settings.cluster().drainTimeoutMs();
            server.drain();
            boolean drained = server.awaitDrained(limit, stopNow::get);
            LOG.info(drained ? "drained: every client left" : stopNow.get() ? "drain cut short by a signal to stop"
                    : "drain-timeout-ms ({} ms) reached", limit);
        }
        LOG.info("shutting down: no new sessions; closing every session");
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(SHUTDOWN_LIMIT_MILLIS);
                System.err.println("rtmfpd: did not stop within " + SHUTDOWN_LIMIT_MILLIS + " ms; exiting");
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                // stopped in time
            }
        }, "rtmfpd-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        server.shutdown(SHUTDOWN_GRACE_MILLIS);
        if (metrics != null) {
            metrics.close();
        }
        LOG.info("stopped");
        return 0;
    }

    /** Defaults, then the configuration file, then the command line. */
    ServerConfig settings() throws ConfigException {
        return settings(ConfigDirectory.current());
    }

    /** As {@link #settings()}, with the defaults' folder {@code dir}; notes which file was read in {@link #configSource}. */
    ServerConfig settings(ConfigDirectory dir) throws ConfigException {
        ServerConfig.Builder builder = ServerConfig.builder().developerKeys(dir.developerKeys());
        if (config != null) {
            ConfigFile.read(config, builder);
            configSource = "configuration from " + config;
        } else if (ConfigFile.readIfPresent(dir.configFile(), builder)) {
            configSource = "configuration from " + dir.configFile();
        } else {
            configSource = "no configuration file (" + dir.configFile() + " does not exist): defaults and the"
                    + " command line";
        }
        if (listen != null) {
            builder.resetListen();
            for (String spec : listen) {
                ConfigOption.LISTEN.apply(builder, spec);
            }
        }
        if (advertise != null) {
            builder.cluster(builder.cluster().withoutAdvertise());
            for (String spec : advertise) {
                ConfigOption.ADVERTISE.apply(builder, spec);
            }
        }
        for (Map.Entry<ConfigOption, String> e : single().entrySet()) {
            if (e.getValue() != null) {
                e.getKey().apply(builder, e.getValue());
            }
        }
        return builder.build();
    }

    /** A flag as the file writes it; null (left to the file) when neither --x nor --no-x was given. */
    private static String flag(Boolean given) {
        return given == null ? null : given.toString();
    }

    private Map<ConfigOption, String> single() {
        Map<ConfigOption, String> m = new LinkedHashMap<>();
        m.put(ConfigOption.DEVELOPER_KEYS, developerKeys);
        m.put(ConfigOption.PEER_CAP, peerCap);
        m.put(ConfigOption.DH_GROUPS, dhGroups);
        m.put(ConfigOption.SERVER_KEEPALIVE_MS, serverKeepalive);
        m.put(ConfigOption.PEER_KEEPALIVE_MS, peerKeepalive);
        m.put(ConfigOption.DH_QUEUE_LIMIT, dhQueueLimit);
        m.put(ConfigOption.METRICS_LISTEN, metricsListen);
        m.put(ConfigOption.LOG_CONFIG, logConfig);
        m.put(ConfigOption.LOG_FORMAT, logFormat);
        m.put(ConfigOption.OPEN_INTRODUCTIONS, flag(openIntroductions));
        m.put(ConfigOption.MAX_SESSIONS, maxSessions);
        m.put(ConfigOption.MAX_SESSIONS_PER_SOURCE, maxSessionsPerSource);
        m.put(ConfigOption.MAX_HANDSHAKES_PER_SOURCE, maxHandshakesPerSource);
        m.put(ConfigOption.IIKEYINGS_PER_SECOND_PER_SOURCE, iikeyingsPerSecondPerSource);
        m.put(ConfigOption.CONNECT_TIMEOUT_MS, connectTimeoutMs);
        m.put(ConfigOption.REGISTRY_LISTEN, registryListen);
        m.put(ConfigOption.REGISTRY_OPEN, flag(registryOpen));
        m.put(ConfigOption.REGISTRY_EXPIRY_MS, registryExpiry);
        m.put(ConfigOption.REGISTRY_ALLOW_DOMAINS, registryAllowDomains);
        m.put(ConfigOption.REGISTRY_MAX_CONNECTIONS, registryMaxConnections);
        m.put(ConfigOption.STUN, flag(stun));
        m.put(ConfigOption.STUN_ALTERNATE, stunAlternate);
        m.put(ConfigOption.CLUSTER_REDIS, clusterRedis);
        m.put(ConfigOption.CLUSTER_REDIS_PASSWORD_FILE, clusterRedisPasswordFile);
        m.put(ConfigOption.CLUSTER_REDIS_CA_FILE, clusterRedisCaFile);
        m.put(ConfigOption.CLUSTER_NAMESPACE, clusterNamespace);
        m.put(ConfigOption.NODE_ID, nodeId);
        m.put(ConfigOption.CLUSTER_NODE_LIFETIME_MS, clusterNodeLifetime);
        m.put(ConfigOption.CLUSTER_REDIS_TIMEOUT_MS, clusterRedisTimeout);
        m.put(ConfigOption.DRAIN_TIMEOUT_MS, drainTimeout);
        return m;
    }
}
