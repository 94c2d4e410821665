package org.rtmfpd.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.rtmfpd.session.Clock;
import org.rtmfpd.session.Transmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTMFP client on one UDP socket: a Flash Player-like NetConnection to a server ({@code connect},
 * {@code setPeerInfo}, calls, pings, NetGroup joins) plus direct sessions with peers found by peer ID.
 * A {@link ClientCore} does the protocol work on a single Netty event-loop thread; every public method is
 * thread-safe, hops onto that thread and returns a {@link CompletableFuture}, which completes on that
 * thread (so do not block inside its callbacks). Close it to release the socket and the thread.
 */
public final class RtmfpClient implements AutoCloseable {
    public static final int DEFAULT_PORT = 1935;
    /** How often the core's timers run. */
    static final long TICK_MILLIS = 25;
    /** Receive buffer per datagram: startup packets may reach 4256 bytes (rtmfp-cpp). */
    private static final int RECEIVE_BUFFER = 8192;
    private static final Logger LOG = LoggerFactory.getLogger(RtmfpClient.class);

    private final ClientIdentity identity;
    private final EventLoopGroup group;
    private static final Clock SYSTEM_CLOCK = Clock.system();

    private final Channel channel;
    private final EventLoop loop;
    private final ClientCore core;
    private final AtomicReference<CompletableFuture<Void>> closed = new AtomicReference<>();

    private RtmfpClient(ClientIdentity identity, ClientSettings settings, InetSocketAddress bind, ClientListener listener,
                        Clock clock) {
        this.identity = identity;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("rtmfp-client", true), NioIoHandler.newFactory());
        ChannelTransmitter transmitter = new ChannelTransmitter();
        this.core = new ClientCore(identity, settings, transmitter, clock, clock == SYSTEM_CLOCK ? System::nanoTime : null,
                new SecureRandom(), listener);
        try {
            this.channel = new Bootstrap().group(group)
                    .channel(NioDatagramChannel.class)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER))
                    .handler(new Inbound(core))
                    .bind(bind).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        transmitter.channel = channel;
        this.loop = channel.eventLoop();
        loop.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A client on an ephemeral port of every local address. */
    public static RtmfpClient open(ClientIdentity identity, ClientSettings settings) {
        return open(identity, settings, new InetSocketAddress(0), null);
    }

    /**
     * A client bound to {@code bind}, reporting progress to {@code listener} (may be null).
     *
     * @throws io.netty.channel.ChannelException (or another runtime exception) if the socket cannot be bound
     */
    public static RtmfpClient open(ClientIdentity identity, ClientSettings settings, InetSocketAddress bind,
                                   ClientListener listener) {
        return new RtmfpClient(identity, settings, bind, listener, SYSTEM_CLOCK);
    }

    /**
     * As {@link #open(ClientIdentity, ClientSettings, InetSocketAddress, ClientListener)}, with the protocol
     * timers read from {@code clock} (tests run them faster than real time); round-trip times are then
     * measured on it too.
     */
    public static RtmfpClient open(ClientIdentity identity, ClientSettings settings, InetSocketAddress bind,
                                   ClientListener listener, Clock clock) {
        return new RtmfpClient(identity, settings, bind, listener, clock);
    }

    public ClientIdentity identity() {
        return identity;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * Connects to {@code rtmfp://host[:port]/KEY} (port 1935 by default): handshake, NetConnection flow,
     * {@code connect}. Completes with the info object of the answer ({@code code}, {@code description},
     * ...), {@code _result} or {@code _error} alike; fails with an {@link RtmfpException} when the session
     * cannot be opened. The host name is resolved on the calling thread.
     */
    public CompletableFuture<Map<String, Object>> connect(URI url) {
        InetSocketAddress address;
        try {
            address = serverAddress(url);
        } catch (IllegalArgumentException | UnknownHostException e) {
            return CompletableFuture.failedFuture(e);
        }
        return onLoop(() -> core.connect(url, address));
    }

    public CompletableFuture<Map<String, Object>> connect(String url) {
        return connect(URI.create(url));
    }

    /** Sends {@code setPeerInfo}: the addresses other peers may reach this client at. */
    public CompletableFuture<Void> setPeerInfo(List<InetSocketAddress> addresses) {
        List<InetSocketAddress> copy = List.copyOf(addresses);
        return onLoop(() -> core.setPeerInfo(copy));
    }

    /** Calls a server command; see {@link ClientCore#call}. */
    public CompletableFuture<Object> call(String name, Object... args) {
        Object[] copy = args.clone();
        return onLoop(() -> core.call(name, copy));
    }

    /** Pings the server and completes with the round-trip time. */
    public CompletableFuture<Duration> ping() {
        return onLoop(core::ping);
    }

    /** Asks the server for the peer {@code peerId}; completes when the direct session is open. */
    public CompletableFuture<PeerSession> connectToPeer(byte[] peerId) {
        byte[] copy = peerId.clone();
        return onLoop(() -> core.connectToPeer(copy));
    }

    /** Joins the NetGroup {@code groupId} (32 bytes) through the server; members arrive in the result. */
    public CompletableFuture<GroupMembership> joinGroup(byte[] groupId) {
        byte[] copy = groupId.clone();
        return onLoop(() -> core.joinGroup(copy));
    }

    /** The open direct sessions with peers. */
    public CompletableFuture<List<PeerSession>> peers() {
        return onLoop(() -> CompletableFuture.completedFuture(core.peers()));
    }

    /**
     * Sends the Close Request on every session, waits briefly for the acknowledgements, then releases the
     * socket and the thread. Completes when the socket is closed.
     */
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!closed.compareAndSet(null, done)) {
            return closed.get();
        }
        onLoop(core::close).whenComplete((v, e) -> channel.close().addListener(f -> {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            done.complete(null);
        }));
        return done;
    }

    /** {@link #closeAsync} and wait for it (about a second at most) unless called from the client's thread. */
    @Override
    public void close() {
        CompletableFuture<Void> done = closeAsync();
        if (!loop.inEventLoop()) {
            done.orTimeout(ClientCore.CLOSE_WAIT_MILLIS + 2_000, TimeUnit.MILLISECONDS).exceptionally(e -> null).join();
            group.terminationFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    /** Where {@code rtmfp://host[:port]/...} points; throws for another scheme or a missing host. */
    static InetSocketAddress serverAddress(URI url) throws UnknownHostException {
        if (url.getScheme() == null || !url.getScheme().toLowerCase(Locale.ROOT).equals("rtmfp")) {
            throw new IllegalArgumentException("not an rtmfp:// URL: " + url);
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host in " + url);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(InetAddress.getByName(host), url.getPort() < 0 ? DEFAULT_PORT : url.getPort());
    }

    private void tick() {
        try {
            core.tick();
        } catch (RuntimeException e) {
            LOG.warn("client timer failed", e);
        }
    }

    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    action.get().whenComplete((value, failure) -> {
                        if (failure != null) {
                            result.completeExceptionally(failure);
                        } else {
                            result.complete(value);
                        }
                    });
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new RtmfpException(RtmfpException.Reason.CLOSED, "the client is closed"));
        }
        return result;
    }

    /** Hands each received datagram to the core, on the event loop. */
    private static final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final ClientCore core;

        Inbound(ClientCore core) {
            this.core = core;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            try {
                core.receive(ByteBufUtil.getBytes(packet.content()), packet.sender());
            } catch (RuntimeException e) {
                LOG.warn("datagram from {} failed", packet.sender(), e);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("socket error", cause);
        }
    }

    /** Writes each datagram the core builds; a failed send is only logged, as loss is normal for UDP. */
    private static final class ChannelTransmitter implements Transmitter {
        private volatile Channel channel;

        @Override
        public void send(InetSocketAddress to, byte[] datagram) {
            Channel ch = channel;
            if (ch == null) {
                return;
            }
            ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), to)).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    LOG.debug("send to {} failed: {}", to, f.cause().toString());
                }
            });
        }
    }
}
