package org.rtmfpd.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rtmfpd.session.Transmitter;

/**
 * Turns outgoing datagrams into writes on the channel their destination last reached us through, so a
 * server listening on several addresses answers from the one it was asked on. With one channel per
 * address family no routes are kept.
 */
final class Router implements Transmitter {
    /** Routes remembered at most; beyond it, replies go through the first channel of the family. */
    private static final int MAX_ROUTES = 1_000_000;
    private volatile List<Channel> channels;
    private volatile boolean needsRoutes;
    private final Map<InetSocketAddress, Channel> routes = new ConcurrentHashMap<>();

    Router(List<Channel> channels) {
        setChannels(channels);
    }

    /** The channels bound so far; called again once every listen address is bound. */
    void setChannels(List<Channel> bound) {
        this.channels = List.copyOf(bound);
        long v6 = bound.stream().filter(Router::isV6).count();
        this.needsRoutes = v6 > 1 || bound.size() - v6 > 1;
    }

    private static boolean isV6(Channel c) {
        return ((InetSocketAddress) c.localAddress()).getAddress() instanceof Inet6Address;
    }

    void learn(InetSocketAddress from, Channel channel) {
        if (needsRoutes && routes.get(from) != channel && routes.size() < MAX_ROUTES) {
            routes.put(from, channel);
        }
    }

    @Override
    public void send(InetSocketAddress to, byte[] datagram) {
        Channel channel = needsRoutes ? routes.get(to) : null;
        if (channel == null) {
            channel = pick(to);
        }
        if (channel != null) {
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), to), channel.voidPromise());
        }
    }

    private Channel pick(InetSocketAddress to) {
        boolean v6 = to.getAddress() instanceof Inet6Address;
        for (Channel c : channels) {
            if (isV6(c) == v6) {
                return c;
            }
        }
        return channels.isEmpty() ? null : channels.get(0);
    }
}
