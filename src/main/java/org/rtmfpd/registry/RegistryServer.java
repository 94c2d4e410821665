package org.rtmfpd.registry;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * Binds the name registry's HTTP service on event loops it is given (rtmfpd's own) and builds each
 * connection's pipeline: connection cap, HTTP codec with bounded line and headers, request deadline,
 * aggregator with a bounded body, and the {@link RegistryHttpHandler}. Holds no registry logic.
 */
public final class RegistryServer implements AutoCloseable {
    /** Longest request line (method, URL, version): room for a register and a few look-ups. */
    public static final int MAX_LINE_BYTES = 4096;
    /** Most header bytes of one request. */
    public static final int MAX_HEADER_BYTES = 8192;
    /** Largest request body (a GET has none). */
    public static final int MAX_BODY_BYTES = 1024;
    /** A connection that does not complete a request this long after opening or the last answer is closed. */
    public static final long REQUEST_DEADLINE_MILLIS = 10_000;

    private final Channel channel;
    private final ChannelGroup connections;

    private RegistryServer(Channel channel, ChannelGroup connections) {
        this.channel = channel;
        this.connections = connections;
    }

    /**
     * Serves {@code service} on {@code address}.
     *
     * @param group          the event loops (rtmfpd's own) to accept and serve on
     * @param channelType    the server channel class matching {@code group}'s transport
     * @param maxConnections most connections open at once
     * @param deadlineMillis the request deadline ({@link #REQUEST_DEADLINE_MILLIS} outside tests)
     * @param counter        counts each {@link RegistryEvent}
     */
    public static RegistryServer start(EventLoopGroup group, Class<? extends ServerChannel> channelType,
            InetSocketAddress address, RegistryService service, int maxConnections, long deadlineMillis,
            Consumer<RegistryEvent> counter) throws InterruptedException {
        ChannelGroup connections = new DefaultChannelGroup("rtmfpd-registry", GlobalEventExecutor.INSTANCE);
        ConnectionLimit limit = new ConnectionLimit(maxConnections, counter);
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        pipeline(ch.pipeline(), limit, service, deadlineMillis, counter);
                    }
                });
        Channel channel = bootstrap.bind(address).sync().channel();
        return new RegistryServer(channel, connections);
    }

    /** Builds one connection's pipeline. */
    static void pipeline(ChannelPipeline p, ConnectionLimit limit, RegistryService service, long deadlineMillis,
            Consumer<RegistryEvent> counter) {
        p.addLast(limit)
                .addLast(new HttpServerCodec(MAX_LINE_BYTES, MAX_HEADER_BYTES, 8192))
                .addLast(new RequestDeadline(deadlineMillis, counter))
                .addLast(new HttpObjectAggregator(MAX_BODY_BYTES, true))
                .addLast(new RegistryHttpHandler(service, counter));
    }

    /** The address bound (with the real port when 0 was asked). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly();
    }
}
