package org.rtmfpd.cluster;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.StaticCredentialsProvider;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.event.connection.ConnectedEvent;
import io.lettuce.core.event.connection.DisconnectedEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Turns a Redis URI into the Lettuce client and connections that the cluster store and the courier
 * use, and reports whether Redis is reachable (UP) or not (DOWN).
 *
 * <p>URIs: {@code redis://[:password@]host:port[/db]}, {@code rediss://…} (TLS) and
 * {@code redis-sentinel://…} are Lettuce's {@link RedisURI} syntax; {@code redis-cluster://[:password@]h1:p1,h2:p2}
 * (and {@code rediss-cluster://} for TLS) names the seed nodes of a Redis Cluster, served by
 * {@link RedisClusterClient}. A password read from a file (first line, trimmed) replaces the URI's.
 *
 * <p>Behaviour while Redis is away: commands are rejected at once
 * ({@link ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}), so that callers fall back to local
 * decisions instead of queueing; every command times out after the command timeout (1 s by default);
 * the client reconnects by itself with an exponential delay from 100 ms to 5 s. The state follows
 * Lettuce's event bus (connected, activated, deactivated, disconnected) and each connection's state
 * listener: UP when every connection of this client is open, DOWN as soon as one is not; each change
 * is logged once and given to the listeners, failed reconnect attempts only at debug.
 *
 * <p>Threads: given an event loop group ({@link #open(String, Optional, Optional, Duration, Optional)}),
 * every Redis connection's I/O runs on it (a server passes its protocol loop): a command issued on that
 * loop is written there and then, and its reply completes there, with no hand-off to another thread
 * and back. Each such hand-off wakes a sleeping thread, and on a busy two-core machine the wake-ups
 * cost more than the Redis work itself (measured: docs/benchmarks.md, "Cluster"). Lettuce's reply
 * decoding then runs between datagrams; every call is asynchronous, so a slow Redis delays answers,
 * never the loop (the loop must never wait on a Redis call). Without a group, the connection gets
 * Lettuce's own resources with one I/O thread ({@code ioThreadPoolSize(1)}). Either way there is one
 * computation thread ({@code computationThreadPoolSize(1)}).
 */
public final class RedisConnection implements AutoCloseable {
    /** Redis reachable or not. */
    public enum State {
        UP, DOWN
    }

    /** Default command timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration RECONNECT_MIN = Duration.ofMillis(100);
    static final Duration RECONNECT_MAX = Duration.ofSeconds(5);
    /** A Redis Cluster's slots are read again this often, besides after every MOVED, ASK and failed reconnect. */
    static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);
    private static final RedisCodec<String, byte[]> BINARY = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final boolean cluster;
    private final String display;
    private final StatefulConnection<String, String> text;
    private final StatefulConnection<String, byte[]> binary;
    private final List<StatefulConnection<?, ?>> opened = new ArrayList<>();
    private final List<Consumer<State>> listeners = new CopyOnWriteArrayList<>();
    private final Disposable events;
    private volatile State state = State.DOWN;
    private volatile boolean closing;

    private RedisConnection(String uri, Optional<Path> passwordFile, Optional<Path> caFile, Duration timeout,
            Optional<io.netty.channel.EventLoopGroup> io) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(timeout, "timeout");
        Optional<char[]> password = passwordFile.map(RedisConnection::readPassword);
        ClientResources.Builder builder = ClientResources.builder()
                .computationThreadPoolSize(1)
                .reconnectDelay(() -> Delay.exponential(RECONNECT_MIN, RECONNECT_MAX, 2, TimeUnit.MILLISECONDS));
        if (io.isPresent()) {
            builder.eventLoopGroupProvider(new SharedEventLoop(io.get()));
        } else {
            builder.ioThreadPoolSize(1);
        }
        this.resources = builder.build();
        this.events = resources.eventBus().get().subscribe(e -> {
            if (e instanceof ConnectionActivatedEvent || e instanceof ConnectionDeactivatedEvent
                    || e instanceof ConnectedEvent || e instanceof DisconnectedEvent) {
                recompute();
            } else if (e instanceof ReconnectFailedEvent f) {
                log.debug("redis reconnect attempt {} to {} failed: {}", f.getAttempt(), f.remoteAddress(),
                        f.getCause().toString());
            }
        });
        SocketOptions socket = SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
        try {
            if (uri.startsWith("redis-cluster://") || uri.startsWith("rediss-cluster://")) {
                this.cluster = true;
                List<RedisURI> seeds = clusterSeeds(uri, password, timeout);
                this.display = "redis-cluster " + seeds.stream().map(u -> u.getHost() + ":" + u.getPort()).toList();
                RedisClusterClient c = RedisClusterClient.create(resources, seeds);
                c.setOptions(ClusterClientOptions.builder(options(socket, timeouts, caFile))
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAllAdaptiveRefreshTriggers()
                                .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                                .build())
                        .build());
                this.client = c;
                this.text = keep(c.connect());
                this.binary = keep(c.connect(BINARY));
            } else {
                this.cluster = false;
                RedisURI u = standaloneUri(uri, password, timeout);
                this.display = u.toString(); // RedisURI masks the password
                RedisClient c = RedisClient.create(resources, u);
                c.setOptions(options(socket, timeouts, caFile));
                this.client = c;
                this.text = keep(c.connect());
                this.binary = keep(c.connect(BINARY));
            }
        } catch (RuntimeException e) {
            shutdown();
            throw explained(e, uri, caFile);
        }
        recompute();
    }

    /** Commands fail at once while disconnected (the caller decides locally); reconnects run by themselves. */
    private static ClientOptions options(SocketOptions socket, TimeoutOptions timeouts, Optional<Path> caFile) {
        ClientOptions.Builder b = ClientOptions.builder();
        caFile.ifPresent(ca -> {
            if (!Files.isReadable(ca)) {
                throw new IllegalArgumentException("cannot read the Redis CA file " + ca
                        + " (cluster-redis-ca-file): give a readable PEM file of CA certificates");
            }
            b.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(ca.toFile()).build());
        });
        return b
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .socketOptions(socket)
                .timeoutOptions(timeouts)
                .build();
    }

    /**
     * Connects to {@code uri} (see the class comment) with the password in {@code passwordFile}, if
     * given, and commands timing out after {@code timeout}. Fails if Redis cannot be reached now.
     */
    public static RedisConnection open(String uri, Optional<Path> passwordFile, Duration timeout) {
        return new RedisConnection(uri, passwordFile, Optional.empty(), timeout, Optional.empty());
    }

    /** As {@link #open(String, Optional, Duration)}, trusting the CAs in {@code caFile} (PEM) for TLS, if given. */
    public static RedisConnection open(String uri, Optional<Path> passwordFile, Optional<Path> caFile, Duration timeout) {
        return new RedisConnection(uri, passwordFile, caFile, timeout, Optional.empty());
    }

    /**
     * As {@link #open(String, Optional, Optional, Duration)}, with the connections' I/O on {@code io}'s
     * event loop, if given (see the class comment); the group stays the caller's to shut down.
     */
    public static RedisConnection open(String uri, Optional<Path> passwordFile, Optional<Path> caFile, Duration timeout,
            Optional<io.netty.channel.EventLoopGroup> io) {
        return new RedisConnection(uri, passwordFile, caFile, timeout, io);
    }

    /**
     * {@code e} with a message that says what to do when it is a TLS failure: the certificate not
     * signed by a trusted CA, or a plain server behind a {@code rediss://} URI.
     */
    static RuntimeException explained(RuntimeException e, String uri, Optional<Path> caFile) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException || t instanceof java.security.cert.CertificateException) {
                String trusted = caFile.map(f -> "the CAs of cluster-redis-ca-file " + f)
                        .orElse("the JDK's trusted CAs (set cluster-redis-ca-file to the CA that signed it)");
                return new IllegalStateException("TLS handshake with Redis at " + masked(uri) + " failed: its certificate"
                        + " is not signed by " + trusted + " or does not name the host (" + t.getMessage() + ")", e);
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return new IllegalStateException("TLS with Redis at " + masked(uri) + " failed (" + t.getMessage()
                        + "): is it a TLS port? use redis:// for a plain one", e);
            }
        }
        return e;
    }

    /** As {@link #open(String, Optional, Duration)} with no password file and a 1 s timeout. */
    public static RedisConnection open(String uri) {
        return open(uri, Optional.empty(), DEFAULT_TIMEOUT);
    }

    /** The async commands with string keys and values (the cluster store's). */
    @SuppressWarnings("unchecked")
    public RedisClusterAsyncCommands<String, String> commands() {
        return (RedisClusterAsyncCommands<String, String>) asyncOf(text);
    }

    /** The async commands with string keys and binary values (the courier's publishes). */
    @SuppressWarnings("unchecked")
    public RedisClusterAsyncCommands<String, byte[]> binaryCommands() {
        return (RedisClusterAsyncCommands<String, byte[]>) asyncOf(binary);
    }

    /** A new pub/sub connection with binary messages; closed with this connection. */
    public StatefulRedisPubSubConnection<String, byte[]> pubSub() {
        StatefulRedisPubSubConnection<String, byte[]> c = cluster
                ? ((RedisClusterClient) client).connectPubSub(BINARY)
                : ((RedisClient) client).connectPubSub(BINARY);
        return keep(c);
    }

    /** Closes a connection that {@link #pubSub()} opened; the state no longer depends on it. */
    public void release(StatefulConnection<?, ?> c) {
        synchronized (opened) {
            opened.remove(c);
        }
        c.close();
        recompute();
    }

    public State state() {
        return state;
    }

    /** Calls {@code listener} with every change of state from now on (on a Lettuce thread). */
    public void onStateChange(Consumer<State> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public String toString() {
        return display;
    }

    @Override
    public void close() {
        shutdown();
    }

    private void shutdown() {
        closing = true;
        List<StatefulConnection<?, ?>> all;
        synchronized (opened) {
            all = new ArrayList<>(opened);
            opened.clear();
        }
        // closing waits for Lettuce's I/O thread, whose state callbacks take the lock: close outside it
        for (StatefulConnection<?, ?> c : all) {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.debug("closing a redis connection: {}", e.toString());
            }
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (events != null) {
            events.dispose();
        }
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private <C extends StatefulConnection<?, ?>> C keep(C c) {
        synchronized (opened) {
            opened.add(c);
        }
        c.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                recompute();
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                recompute();
            }
        });
        return c;
    }

    private static Object asyncOf(StatefulConnection<?, ?> c) {
        if (c instanceof io.lettuce.core.api.StatefulRedisConnection<?, ?> s) {
            return s.async();
        }
        return ((io.lettuce.core.cluster.api.StatefulRedisClusterConnection<?, ?>) c).async();
    }

    /** UP when every connection of this client is open (connected, not closed), else DOWN. */
    private void recompute() {
        boolean up;
        synchronized (opened) {
            up = !opened.isEmpty() && opened.stream().allMatch(StatefulConnection::isOpen);
        }
        setState(up ? State.UP : State.DOWN);
    }

    private synchronized void setState(State next) {
        if (next == state || closing) {
            return;
        }
        state = next;
        if (next == State.UP) {
            log.info("redis {} is up", display);
        } else {
            log.warn("redis {} is down; reconnecting in the background, decisions fall back to this node", display);
        }
        for (Consumer<State> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException ex) {
                log.warn("a redis state listener failed", ex);
            }
        }
    }

    /** Parses {@code redis-cluster://[:password@]h1:p1,h2:p2[/]} into one URI per seed. */
    static List<RedisURI> clusterSeeds(String uri, Optional<char[]> passwordFromFile, Duration timeout) {
        boolean tls = uri.startsWith("rediss-cluster://");
        String rest = uri.substring(uri.indexOf("://") + 3);
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        char[] password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String auth = rest.substring(0, at);
            rest = rest.substring(at + 1);
            password = (auth.startsWith(":") ? auth.substring(1) : auth).toCharArray();
        }
        if (passwordFromFile.isPresent()) {
            password = passwordFromFile.get();
        }
        List<RedisURI> out = new ArrayList<>();
        for (String hp : rest.split(",")) {
            int colon = hp.lastIndexOf(':');
            if (hp.isBlank() || colon <= 0 || colon == hp.length() - 1) {
                throw new IllegalArgumentException("a redis-cluster:// URI lists host:port seeds separated by commas; got '"
                        + hp + "'");
            }
            int port;
            try {
                port = Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in redis-cluster seed '" + hp + "'");
            }
            String host = hp.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            RedisURI.Builder b = RedisURI.builder().withHost(host).withPort(port).withSsl(tls).withTimeout(timeout);
            if (password != null) {
                b.withPassword(password);
            }
            out.add(b.build());
        }
        return out;
    }

    /**
     * Parses a {@code redis://}, {@code rediss://} or {@code redis-sentinel://} URI (Lettuce's syntax,
     * the Sentinel master's name as {@code ?sentinelMasterId=NAME} or {@code #NAME}) and sets its
     * timeout and the password from a file, if given; throws {@link IllegalArgumentException} saying
     * what is wrong. The parsed URI is changed in place: a copy through {@code RedisURI.builder(uri)}
     * keeps the host but drops the sentinels, and a Sentinel URI then names no server at all.
     */
    static RedisURI standaloneUri(String uri, Optional<char[]> passwordFromFile, Duration timeout) {
        RedisURI u;
        try {
            u = RedisURI.create(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + masked(uri) + "' is not a Redis URI: " + e.getMessage());
        }
        if (uri.startsWith("redis-sentinel://") || uri.startsWith("rediss-sentinel://")) {
            if (u.getSentinels().isEmpty()) {
                throw new IllegalArgumentException("'" + masked(uri) + "' names no sentinel: write"
                        + " redis-sentinel://HOST:PORT[,HOST:PORT...][/DB]#MASTER");
            }
            if (u.getSentinelMasterId() == null || u.getSentinelMasterId().isBlank()) {
                throw new IllegalArgumentException("'" + masked(uri) + "' names no Sentinel master: add"
                        + " #MASTER (or ?sentinelMasterId=MASTER), the name in the sentinels' 'sentinel monitor' line");
            }
        } else if (u.getHost() == null && u.getSocket() == null) {
            throw new IllegalArgumentException("'" + masked(uri) + "' names no host: write redis://HOST:PORT[/DB]");
        }
        u.setTimeout(timeout);
        passwordFromFile.ifPresent(p -> {
            String user = u.getCredentialsProvider() instanceof RedisCredentialsProvider.ImmediateRedisCredentialsProvider i
                    ? i.resolveCredentialsNow().getUsername() : null;
            u.setCredentialsProvider(new StaticCredentialsProvider(user, p));
        });
        return u;
    }

    /** Checks that {@code uri} is one this class can connect to, without connecting; throws saying what is wrong. */
    public static void check(String uri) {
        if (uri.startsWith("redis-cluster://") || uri.startsWith("rediss-cluster://")) {
            clusterSeeds(uri, Optional.empty(), DEFAULT_TIMEOUT);
        } else {
            standaloneUri(uri, Optional.empty(), DEFAULT_TIMEOUT);
        }
    }

    /** {@code uri} with any password replaced by {@code ***}, for messages. */
    static String masked(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }

    static char[] readPassword(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String first = lines.isEmpty() ? "" : lines.get(0).trim();
            if (first.isEmpty()) {
                throw new IllegalArgumentException("the redis password file " + file + " is empty");
            }
            return first.toCharArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the redis password file " + file + ": " + e.getMessage(), e);
        }
    }
}
