package org.rtmfpd.server;

import org.rtmfpd.cluster.ClusterNode;
import org.rtmfpd.cluster.LoadRedirector;
import org.rtmfpd.cluster.ClusterRendezvous;
import org.rtmfpd.cluster.ClusterSettings;
import org.rtmfpd.cluster.KeyHashes;
import org.rtmfpd.cluster.RedisBackend;
import org.rtmfpd.cluster.RedisFailure;
import org.rtmfpd.config.ListenAddress;
import org.rtmfpd.config.ServerConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.EnumMap;
import java.util.Map;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.nat.CheckPage;
import org.rtmfpd.nat.IntroductionOutcomes;
import org.rtmfpd.nat.SocketRole;
import org.rtmfpd.nat.StunEndpoints;
import org.rtmfpd.nat.StunLimits;
import org.rtmfpd.nat.StunResponder;
import org.rtmfpd.nat.StunSettings;
import org.rtmfpd.crypto.CookieJar;
import org.rtmfpd.flash.KeepaliveTimers;
import org.rtmfpd.flash.NetConnectionService;
import org.rtmfpd.handshake.EphemeralKeys;
import org.rtmfpd.handshake.ResponderKeying;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.registry.ConnectedPeers;
import org.rtmfpd.registry.CrossDomainPolicy;
import org.rtmfpd.registry.MemoryNameStore;
import org.rtmfpd.registry.RegistryServer;
import org.rtmfpd.registry.RegistryService;
import org.rtmfpd.registry.RegistrySettings;
import org.rtmfpd.rendezvous.DeveloperKeyStore;
import org.rtmfpd.rendezvous.LocalRendezvous;
import org.rtmfpd.rendezvous.ServerLan;
import org.rtmfpd.rendezvous.Rendezvous;
import org.rtmfpd.session.SessionSettings;
import org.rtmfpd.session.Clock;
import org.rtmfpd.session.Session;
import org.rtmfpd.wire.SessionIdScrambler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires rtmfpd together and binds it: one protocol event loop (epoll where available, else NIO) owns
 * every session; Diffie-Hellman work runs on a small worker pool. Holds no protocol logic itself.
 */
public final class RtmfpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtmfpServer.class);
    private static final long TICK_MILLIS = 100;
    private static final long KEY_FILE_CHECK_MILLIS = 2_000;
    /** Routes of addresses that no longer hold a session are forgotten this often. */
    private static final long ROUTE_SWEEP_MILLIS = 60_000;
    /** Expired user names of the name registry are forgotten this often (they are invisible at once). */
    private static final long NAME_SWEEP_MILLIS = 60_000;
    private static final int EXTRA_RANDOMNESS = 64;
    /** At start, the cluster's Redis is tried this many times, this long apart, before the node gives up. */
    private static final int CLUSTER_CONNECT_ATTEMPTS = 5;
    private static final long CLUSTER_CONNECT_PAUSE_MILLIS = 2_000;
    /**
     * The largest datagram received whole; longer ones are cut short and fail their checks. Netty's
     * default receive buffer for datagram channels is as large, so this is no new limit.
     */
    static final int MAX_DATAGRAM = 2048;
    /**
     * Below this many IIKeyings a second the protocol thread does the DH work itself rather than wake a
     * keying worker and be woken by it (Dispatcher.keyInlineBelow); the system property of that name
     * overrides it, for measurements (0: always hand off).
     */
    static final int INLINE_KEYING_BELOW_PER_SECOND = 1500;
    static final String INLINE_KEYING_PROPERTY = "rtmfpd.keyInlineBelow";
    /** At most this much of each 100 ms window of the protocol loop goes to keying inline (15 %). */
    static final long INLINE_KEYING_BUDGET_NANOS = 15_000_000;
    /** Datagrams taken per recvmmsg call (epoll); the rest of a burst waits for the next call. */
    static final int RECEIVE_BATCH = 32;
    /**
     * One ephemeral DH key pair serves the handshakes of this long; session keys still differ, as they
     * hash both sides' fresh keying components.
     */
    private static final long EPHEMERAL_KEY_LIFETIME_MILLIS = 60_000;

    /** The protocol loop's thread name (Netty adds "-1-1"), the role of its CPU time in the metrics. */
    static final String LOOP_THREAD = "rtmfpd-loop";

    private final EventLoopGroup loop;
    private final ExecutorService keyingWorkers;
    /** Reads and parses the developer-keys file off the protocol thread; the store swaps the result in. */
    private final ScheduledExecutorService keyReloader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rtmfpd-keys");
        t.setDaemon(true);
        return t;
    });
    private final List<Channel> channels = new ArrayList<>();
    /** The STUN-only channels of stun-alternate. */
    private final List<Channel> stunChannels = new ArrayList<>();
    private final List<StunEndpoints> stunEndpoints = new ArrayList<>();
    /** The SOFTWARE of STUN answers (RFC 8489 §14.14): kept short, as it counts against the amplification bound. */
    static final String STUN_SOFTWARE = "rtmfpd";
    private final Dispatcher dispatcher;
    private final NetConnectionService service;
    /** The P2P outcome of introductions (protocol thread). */
    private final IntroductionOutcomes introductions;
    private final DeveloperKeyStore keys;
    private final ServerMetrics metrics = new ServerMetrics();
    private final Rendezvous<Session> rendezvous;
    /** Cleared when the server starts to stop: from then on no handshake starts, sessions only close. */
    private volatile boolean accepting = true;
    /** Set by {@link #drain()}: new clients go to other nodes of the cluster, connected ones stay. */
    private volatile boolean draining;
    private final RegistryServer registry;
    /** This node's membership of a cluster, in cluster mode. */
    private final ClusterNode<Session> cluster;

    private RtmfpServer(ServerConfig config, DeveloperKeyStore keys, Clock clock, java.util.function.LongSupplier wallClock)
            throws InterruptedException {
        this.keys = keys;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.loop = new MultiThreadIoEventLoopGroup(1, new io.netty.util.concurrent.DefaultThreadFactory(LOOP_THREAD), io);
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        this.keyingWorkers = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(Dispatcher.keyingQueueCapacity(config.dhQueueLimit()) + workers),
                r -> {
                    Thread t = new Thread(r, "rtmfpd-keying");
                    t.setDaemon(true);
                    return t;
                });
        SecureRandom random = new SecureRandom();
        byte[] extra = new byte[EXTRA_RANDOMNESS];
        random.nextBytes(extra);
        List<DhGroup> groups = config.dhGroups().stream().map(id -> DhGroup.byId(id).orElseThrow()).toList();
        Certificate certificate = Certificate.ephemeral(groups, extra);
        this.cluster = config.cluster().enabled() ? joinCluster(config, keys, random, wallClock) : null;
        this.rendezvous = cluster != null ? cluster.rendezvous()
                : new LocalRendezvous<>(LocalRendezvous.SINGLE_NODE, keys::find, config.peerCap(),
                        InstantSource.system(), random, serverLan(config));
        TimedApplication timed = new TimedApplication(metrics);
        this.introductions = new IntroductionOutcomes(clock, (outcome, key) -> metrics.introductionPair(outcome.label(), key));
        timed.introductions((from, target, key) -> introductions.introduced(from, target, key == null ? "none"
                : keys.find(key).map(org.rtmfpd.rendezvous.DeveloperKey::logName)
                        .orElseGet(() -> org.rtmfpd.rendezvous.DeveloperKey.logNameOf(key))));
        this.service = new NetConnectionService(keys, rendezvous, config.openIntroductions(),
                new KeepaliveTimers(config.serverKeepaliveMs(), config.peerKeepaliveMs()), config.connectTimeoutMs(), clock,
                timed);
        Bootstrap bootstrap = new Bootstrap().group(loop)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20);
        if (epoll) {
            // recvmmsg: up to RECEIVE_BATCH datagrams of at most MAX_DATAGRAM bytes per system call.
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(MAX_DATAGRAM * RECEIVE_BATCH).maxMessagesPerRead(4 * RECEIVE_BATCH));
        }
        Router router = new Router(channels, loop.next());
        this.dispatcher = new Dispatcher(certificate, new CookieJar(random, clock::nowMillis),
                new ResponderKeying(groups, new EphemeralKeys(random, clock, EPHEMERAL_KEY_LIFETIME_MILLIS)),
                config.dhQueueLimit(), config.admission(), SessionSettings.forServer(config.serverKeepaliveMs()), router,
                clock, timedKeying(keyingWorkers, metrics), loop.next(), timed.wrap(service), metrics);
        service.startupSender(dispatcher);
        if (cluster != null) {
            dispatcher.redirector(new LoadRedirector(cluster.rendezvous().node(), cluster.rendezvous()::liveNodes,
                    () -> draining));
        }
        dispatcher.keyInlineBelow(Integer.getInteger(INLINE_KEYING_PROPERTY, INLINE_KEYING_BELOW_PER_SECOND),
                INLINE_KEYING_BUDGET_NANOS);
        StunSockets stun = config.stun().enabled() ? new StunSockets(metrics) : null;
        DatagramHandler handler = new DatagramHandler(router, this::onDatagram, stun);
        bootstrap.handler(handler);
        for (InetSocketAddress address : config.listen()) {
            Channel channel;
            try {
                channel = bind("listen", address, () -> bootstrap.bind(address).sync().channel());
            } catch (ListenException e) {
                close();
                throw e;
            }
            channels.add(channel);
            LOG.info("listening on UDP {} ({})", ListenAddress.format(new InetSocketAddress(address.getAddress(),
                    ((InetSocketAddress) channel.localAddress()).getPort())), epoll ? "epoll" : "nio");
        }
        router.setChannels(channels);
        if (stun != null) {
            bindStun(config.stun(), bootstrap, stun, new StunLimits(clock));
        }
        loop.next().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        loop.next().scheduleAtFixedRate(() -> router.retain(dispatcher::hasSessionAt), ROUTE_SWEEP_MILLIS,
                ROUTE_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        keyReloader.scheduleWithFixedDelay(this::reloadKeysIfChanged, KEY_FILE_CHECK_MILLIS, KEY_FILE_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
        // The dispatcher's tables belong to the protocol thread: the metrics read what its tick published.
        metrics.gauge("rtmfpd_sessions", "Sessions held (open or closing), as of the last timer tick.",
                dispatcher::publishedSessionCount);
        metrics.gauge("rtmfpd_keying_queue", "IIKeyings queued or running for Diffie-Hellman work, as of the last tick.",
                dispatcher::publishedKeyingQueueLength);
        metrics.gauge("rtmfpd_registered_peers", "Connected clients that can be introduced.",
                rendezvous::localPeers);
        metrics.labelledGauge("rtmfpd_developer_key_peers",
                "Connected clients by developer key, named by its label (or key# and its hash's first 8 hex digits).",
                "key", () -> peersByKey(keys, rendezvous));
        metrics.introductionPairsByKey(() -> keys.current().keys().stream().map(org.rtmfpd.rendezvous.DeveloperKey::logName)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        metrics.gauge("rtmfpd_netgroups", "NetGroups with at least one member.", rendezvous::groupCount);
        metrics.gauge("rtmfpd_netgroup_members", "Peers in at least one NetGroup.", rendezvous::groupMemberCount);
        metrics.gauge("rtmfpd_developer_keys", "Developer keys in force.", () -> keys.current().size());
        if (cluster != null) {
            ClusterRendezvous<Session> shared = cluster.rendezvous();
            metrics.gauge("rtmfpd_cluster_store_up",
                    "1 while this node decides with the cluster (Redis reachable, its state published), else 0.",
                    () -> shared.shared() ? 1 : 0);
            metrics.gauge("rtmfpd_cluster_fallbacks",
                    "Cluster store calls that failed and were decided by this node alone (a running count).",
                    shared::fallbackCount);
            metrics.gauge("rtmfpd_cluster_nodes",
                    "Live nodes of the cluster, this one included, as of this node's last heartbeat.",
                    () -> shared.liveNodes().size());
            metrics.gauge("rtmfpd_cluster_draining", "1 while this node drains (new clients go to other nodes), else 0.",
                    () -> draining ? 1 : 0);
            metrics.gauge("rtmfpd_cluster_republishes",
                    "Times this node published its state to the cluster store again after an outage (a running count).",
                    shared::republishCount);
        }
        metrics.withJvmMetrics();
        try {
            this.registry = config.registry().listen().isPresent()
                    ? startRegistry(config.registry(), clock, epoll, wallClock) : null;
        } catch (ListenException e) {
            close();
            throw e;
        }
        LOG.info("server fingerprint {}", java.util.HexFormat.of().formatHex(dispatcher.fingerprint()));
    }

    /**
     * Serves STUN on every listen channel and, for the first listen address of the alternate's family,
     * binds the three other RFC 5780 addresses (STUN only).
     */
    private void bindStun(StunSettings settings, Bootstrap bootstrap, StunSockets stun, StunLimits limits)
            throws InterruptedException {
        boolean alternateTaken = false;
        for (Channel channel : channels) {
            InetSocketAddress primary = (InetSocketAddress) channel.localAddress();
            Optional<InetSocketAddress> alternate = alternateTaken ? Optional.empty() : settings.alternate()
                    .filter(a -> a.getAddress().getClass() == primary.getAddress().getClass());
            alternateTaken |= alternate.isPresent();
            StunEndpoints endpoints = new StunEndpoints(primary, alternate);
            Map<SocketRole, Channel> roles = new EnumMap<>(SocketRole.class);
            roles.put(SocketRole.PRIMARY, channel);
            if (endpoints.discovery()) {
                for (SocketRole role : List.of(SocketRole.ALTERNATE_PORT, SocketRole.ALTERNATE_ADDRESS,
                        SocketRole.ALTERNATE_BOTH)) {
                    Channel c = bootstrap.bind(endpoints.address(role)).sync().channel();
                    stunChannels.add(c);
                    roles.put(role, c);
                }
                LOG.info("STUN on UDP {} with RFC 5780 behaviour discovery (also {}, {}, {})", ListenAddress.format(primary),
                        ListenAddress.format(endpoints.address(SocketRole.ALTERNATE_PORT)),
                        ListenAddress.format(endpoints.address(SocketRole.ALTERNATE_ADDRESS)),
                        ListenAddress.format(endpoints.address(SocketRole.ALTERNATE_BOTH)));
            }
            stunEndpoints.add(endpoints);
            stun.add(new StunResponder(endpoints, limits, dispatcher::hasSessionAt, STUN_SOFTWARE), roles);
        }
    }

    /** The STUN addresses served: one entry per listen address, with its RFC 5780 alternates if any; empty when STUN is off. */
    public List<StunEndpoints> stunEndpoints() {
        return List.copyOf(stunEndpoints);
    }

    /**
     * Joins the cluster of {@code config.cluster()}: connects to its Redis (failing at start, with the
     * reason, if it cannot be reached) and runs this node's heartbeats on the protocol loop.
     */
    private ClusterNode<Session> joinCluster(ServerConfig config, DeveloperKeyStore keys, SecureRandom random,
            java.util.function.LongSupplier wallClock) {
        ClusterSettings settings = config.cluster();
        String node = ClusterNode.nodeId(settings);
        RedisBackend backend = null;
        String where = settings.redis().map(u -> u.replaceAll("//[^@/]*@", "//***@")).orElse("");
        for (int attempt = 1; backend == null; attempt++) {
            try {
                // Redis I/O on the protocol loop: no thread hand-off per call (RedisConnection)
                backend = RedisBackend.open(settings, new KeyHashes(keys::current), wallClock, random,
                        java.util.Optional.of(loop));
            } catch (RuntimeException e) {
                java.util.Optional<String> lasting = RedisFailure.lasting(e);
                if (lasting.isPresent()) {
                    throw new IllegalStateException("cannot use the cluster's Redis at " + where + ": " + lasting.get(), e);
                }
                if (attempt == CLUSTER_CONNECT_ATTEMPTS) {
                    throw new IllegalStateException("cannot reach the cluster's Redis at " + where + " after "
                            + attempt + " attempts: " + e.getMessage() + " (check cluster-redis and that Redis is running)",
                            e);
                }
                LOG.warn("cannot reach the cluster's Redis at {} (attempt {} of {}): {}", where, attempt,
                        CLUSTER_CONNECT_ATTEMPTS, e.getMessage());
                try {
                    Thread.sleep(CLUSTER_CONNECT_PAUSE_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while connecting to the cluster's Redis", e);
                }
            }
        }
        LOG.info("cluster mode: node {} on {}", node, backend);
        // Without advertise, the addresses bound (their ports known once bound; a wildcard address is
        // published as it is, and redirects skip it: set advertise for them).
        java.util.function.Supplier<List<String>> advertise = () -> !settings.advertise().isEmpty()
                ? settings.advertise()
                : (channels.isEmpty() ? config.listen() : localAddresses()).stream()
                        .map(a -> hostPort(a)).toList();
        LocalRendezvous<Session> local = new LocalRendezvous<>(node, keys::find, config.peerCap(),
                InstantSource.system(), random, serverLan(config));
        return ClusterNode.join(settings, backend, local, loop.next(), keys::find, advertise, new ClusterNode.Load(
                () -> this.dispatcher == null ? 0 : this.dispatcher.publishedSessionCount(),
                config.admission().maxSessions(), () -> this.draining));
    }

    /** The server's own private network, known from its advertised public addresses (none: nothing to translate). */
    private static ServerLan serverLan(ServerConfig config) {
        List<InetAddress> advertised = config.cluster().advertise().stream()
                .map(spec -> ListenAddress.parse(spec, -1).getAddress()).toList();
        ServerLan lan = new ServerLan(advertised);
        if (!lan.publicAddresses().isEmpty()) {
            LOG.info("peers on this server's private network are given to outside peers at {}",
                    lan.publicAddresses().stream().map(InetAddress::getHostAddress).toList());
        }
        return lan;
    }

    private boolean onDatagram(InetSocketAddress from, byte[] datagram) {
        if (!accepting && isStartup(datagram)) {
            metrics.drop("stopping");
            return false;
        }
        return dispatcher.onDatagram(from, datagram);
    }

    /** Whether a datagram is addressed to session 0: an IHello or IIKeying (or junk), never a session's. */
    static boolean isStartup(byte[] datagram) {
        return datagram.length >= 4 && SessionIdScrambler.sessionIdOf(Unpooled.wrappedBuffer(datagram)) == 0;
    }

    /**
     * Drains this node: from now on a new client is redirected to the least-loaded other live node of
     * the cluster (RFC 7016 §3.5.1.4), and the cluster is told at once; connected clients stay. Alone
     * (not in a cluster, or no other node takes clients), new clients are still answered here.
     */
    public void drain() {
        draining = true;
        if (cluster != null) {
            cluster.beatNow();
        }
        LOG.info("draining: new clients go to other nodes; {} sessions stay until they leave",
                dispatcher.publishedSessionCount());
    }

    public boolean draining() {
        return draining;
    }

    /**
     * Waits until no connected client is left (sessions that are closing only linger, RFC 7016 §3.5.5.2),
     * or {@code timeoutMillis} has passed, or {@code stop} says to stop waiting; returns whether every
     * client left.
     */
    public boolean awaitDrained(long timeoutMillis, java.util.function.BooleanSupplier stop) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (connectedClients() > 0) {
            if (System.nanoTime() >= deadline || stop.getAsBoolean()) {
                return false;
            }
            Thread.sleep(TICK_MILLIS);
        }
        return true;
    }

    /** Clients connected with a developer key, read on the protocol thread. */
    private int connectedClients() throws InterruptedException {
        try {
            return loop.next().submit((java.util.concurrent.Callable<Integer>) rendezvous::localPeers).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("cannot count the connected clients: {}", e.toString());
            return 0;
        }
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Stops answering handshakes; sessions carry on. The first step of {@link #shutdown}. */
    public void stopAccepting() {
        accepting = false;
    }

    /** Peers by developer key label; keys that share a label are added up, and the key itself never appears. */
    static java.util.Map<String, Long> peersByKey(DeveloperKeyStore keys, Rendezvous<Session> rendezvous) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (org.rtmfpd.rendezvous.DeveloperKey key : keys.current().keys()) {
            out.merge(key.logName(), (long) rendezvous.localPeers(key.key()), Long::sum);
        }
        return out;
    }

    /** The keying pool, as seen by the dispatcher: each task's wait for a worker is observed. */
    static java.util.concurrent.Executor timedKeying(ExecutorService workers, ServerMetrics metrics) {
        return task -> {
            long queued = metrics.now();
            workers.execute(() -> {
                metrics.observe(ServerMetrics.Timing.KEYING_WAIT, queued);
                task.run();
            });
        };
    }

    /** The HTTP name registry, on the protocol event loop: its work is a few map operations per request. */
    private RegistryServer startRegistry(RegistrySettings settings, Clock clock, boolean epoll,
            java.util.function.LongSupplier wallClock) throws InterruptedException {
        // In cluster mode the names live in the cluster's Redis, their times in wall-clock milliseconds
        // that every node shares; a peer connected to any node may register.
        // A node remembers the names registered through it, and registers them again whenever it
        // publishes its state again (after Redis lost or dropped it).
        org.rtmfpd.registry.NameStore names;
        if (cluster != null) {
            org.rtmfpd.registry.RepublishingNameStore shared = new org.rtmfpd.registry.RepublishingNameStore(
                    cluster.backend().nameStore(settings.expiryMs()), settings.expiryMs());
            cluster.rendezvous().onRepublished(() -> shared.republish(wallClock.getAsLong()).thenAccept(n -> {
                if (n > 0) {
                    LOG.info("registered again {} names registered through this node", n);
                }
            }).exceptionally(failure -> {
                LOG.debug("names not registered again: {}", failure.toString());
                return null;
            }));
            names = shared;
        } else {
            names = new MemoryNameStore(settings.expiryMs());
        }
        java.util.function.LongSupplier namesClock = cluster != null ? wallClock : clock::nowMillis;
        ConnectedPeers peers = cluster != null ? cluster.rendezvous()::isConnected
                : (key, peer) -> java.util.concurrent.CompletableFuture.completedFuture(rendezvous.local(peer)
                        .map(e -> e.developerKey().equals(key)).orElse(false));
        metrics.expect(KnownLabels.registry(true), KnownLabels.registry(false));
        RegistryService service = new RegistryService(keys::find, names, peers, settings.open(), namesClock,
                CrossDomainPolicy.render(settings.allowDomains()));
        if (!stunEndpoints.isEmpty()) {
            service.checkPage(CheckPage.render(stunEndpoints.stream().filter(StunEndpoints::discovery).findFirst()
                    .orElse(stunEndpoints.get(0))));
        }
        RegistryServer server = bind("registry-listen", settings.listen().get(), () -> RegistryServer.start(loop,
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class, settings.listen().get(),
                service, settings.maxConnections(), RegistryServer.REQUEST_DEADLINE_MILLIS, e -> {
                    if (e.refusal()) {
                        metrics.refuse(e.label());
                    } else {
                        metrics.count(e.label());
                    }
                }));
        loop.next().scheduleAtFixedRate(() -> names.sweep(namesClock.getAsLong()), NAME_SWEEP_MILLIS, NAME_SWEEP_MILLIS,
                TimeUnit.MILLISECONDS);
        metrics.gauge("rtmfpd_registry_names", names::size);
        LOG.info("name registry on HTTP {}{}", ListenAddress.format(server.address()), settings.open() ? " (open: peers need not be connected)" : "");
        return server;
    }

    /** The name registry's HTTP address, when it is on. */
    public Optional<InetSocketAddress> registryAddress() {
        return registry == null ? Optional.empty() : Optional.of(registry.address());
    }

    /** A bind of {@code address}, named by {@code option}. */
    private interface Bind<T> {
        T bind() throws Exception;
    }

    /** {@code bind}'s result; a failure becomes a {@link ListenException} naming {@code option} and {@code address}. */
    private static <T> T bind(String option, InetSocketAddress address, Bind<T> bind) throws InterruptedException {
        try {
            return bind.bind();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new ListenException(option, address, e);
        }
    }

    /** Binds every listen address and starts serving; throws {@link ListenException} if an address cannot be bound. */
    public static RtmfpServer start(ServerConfig config, DeveloperKeyStore keys) throws InterruptedException {
        return new RtmfpServer(config, keys, Clock.system(), System::currentTimeMillis);
    }

    /** As {@link #start(ServerConfig, DeveloperKeyStore)}, with the protocol timers read from {@code clock}. */
    public static RtmfpServer start(ServerConfig config, DeveloperKeyStore keys, Clock clock) throws InterruptedException {
        return new RtmfpServer(config, keys, clock, System::currentTimeMillis);
    }

    /**
     * As {@link #start(ServerConfig, DeveloperKeyStore, Clock)}, with the cluster's time (wall-clock
     * milliseconds, compared across nodes for their liveness) read from {@code wallClock}.
     */
    public static RtmfpServer start(ServerConfig config, DeveloperKeyStore keys, Clock clock,
            java.util.function.LongSupplier wallClock) throws InterruptedException {
        return new RtmfpServer(config, keys, clock, wallClock);
    }

    private void tick() {
        try {
            dispatcher.tick();
            service.tick();
            introductions.tick();
        } catch (RuntimeException e) {
            LOG.error("timer run failed", e);
        }
    }

    public List<InetSocketAddress> localAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel c : channels) {
            out.add(((DatagramChannel) c).localAddress());
        }
        return out;
    }

    public byte[] fingerprint() {
        return dispatcher.fingerprint();
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** Reloads the developer-keys file now (as SIGHUP does), off the protocol thread. */
    public void reloadKeys() {
        keyReloader.execute(() -> {
            try {
                // The store logs a new file and a refused one itself.
                DeveloperKeyStore.Reload reload = keys.reload();
                if (reload.outcome() == DeveloperKeyStore.Outcome.UNCHANGED) {
                    LOG.info("developer keys re-read from {}: unchanged ({})", keys.file(), reload.keys());
                }
            } catch (RuntimeException e) {
                LOG.error("developer keys reload failed; the previous keys stay", e);
            }
        });
    }

    private void reloadKeysIfChanged() {
        try {
            keys.reloadIfChanged();
        } catch (RuntimeException e) {
            LOG.error("developer keys check failed; the previous keys stay", e);
        }
    }

    /** Runs {@code task} on the protocol thread and waits for it. */
    public <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        return loop.next().submit(task).get(10, TimeUnit.SECONDS);
    }

    public int sessionCount() throws Exception {
        return onLoop(dispatcher::sessionCount);
    }

    /**
     * Stops answering handshakes, closes every session politely (RFC 7016 §3.5.5.1) so that clients
     * learn it at once, waits up to {@code graceMillis} for the acknowledgements, then stops.
     */
    public void shutdown(long graceMillis) {
        stopAccepting();
        if (cluster != null) {
            cluster.close(); // the cluster forgets this node's peers before their sessions close
        }
        try {
            loop.next().submit(dispatcher::closeAll).get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + graceMillis * 1_000_000;
            while (System.nanoTime() < deadline && !loop.next().submit(dispatcher::allClosed).get(5, TimeUnit.SECONDS)) {
                Thread.sleep(50);
            }
        } catch (Exception e) {
            LOG.warn("graceful close interrupted: {}", e.toString());
        }
        close();
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
        if (registry != null) {
            registry.close();
        }
        for (Channel c : channels) {
            c.close().awaitUninterruptibly();
        }
        for (Channel c : stunChannels) {
            c.close().awaitUninterruptibly();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        keyingWorkers.shutdownNow();
        keyReloader.shutdownNow();
    }
}
