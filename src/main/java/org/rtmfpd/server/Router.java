package org.rtmfpd.server;

import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.rtmfpd.session.Transmitter;

/**
 * Turns outgoing datagrams into writes on the channel their destination reached us through, so a
 * server listening on several addresses of one family answers from the one it was asked on. A reply
 * sent while its request is being handled goes back through the request's channel; routes are kept only
 * for addresses that proved they receive there (sessions, and IIKeyings with a good cookie), are swept
 * of addresses that no longer hold a session, and are bounded. With one channel per address family no
 * routes are kept at all.
 */
final class Router implements Transmitter {
    /** Routes remembered at most; beyond it, replies go through the first channel of the family. */
    static final int MAX_ROUTES = 1_000_000;
    private volatile List<Channel> channels;
    private volatile boolean needsRoutes;
    private final Map<InetSocketAddress, Channel> routes = new ConcurrentHashMap<>();
    /** The datagram being handled on the protocol thread: its sender and the channel it came in on. */
    private InetSocketAddress currentSender;
    private Channel currentChannel;
    /** Channels written to and not yet flushed (protocol thread only; one or two entries). */
    private final List<Channel> unflushed = new ArrayList<>(2);
    /** A read batch is being handled: its end flushes (protocol thread only). */
    private boolean inBatch;
    /** A flush task is queued on the protocol loop for writes made outside a read batch. */
    private boolean flushQueued;
    private final Runnable flushTask = () -> {
        flushQueued = false;
        flushAll();
    };

    /** Runs a task after the current one on the protocol loop: the flush of writes made outside a read batch. */
    private final Executor afterTask;

    Router(List<Channel> channels, Executor afterTask) {
        this.afterTask = afterTask;
        setChannels(channels);
    }

    /** The channels bound so far; called again once every listen address is bound. */
    void setChannels(List<Channel> bound) {
        this.channels = List.copyOf(bound);
        long v6 = bound.stream().filter(Router::isV6).count();
        this.needsRoutes = v6 > 1 || bound.size() - v6 > 1;
    }

    private static boolean isV6(Channel c) {
        return c.localAddress() instanceof InetSocketAddress a && a.getAddress() instanceof Inet6Address;
    }

    /** A datagram from {@code from} on {@code channel} is being handled (null, null: it is done). */
    void receiving(InetSocketAddress from, Channel channel) {
        currentSender = from;
        currentChannel = channel;
        if (from != null) {
            inBatch = true;
        }
    }

    /** The read batch ended: everything written during it goes out now. */
    void endBatch() {
        inBatch = false;
        flushAll();
    }

    private void flushAll() {
        for (int i = 0; i < unflushed.size(); i++) {
            unflushed.get(i).flush();
        }
        unflushed.clear();
    }

    /** {@code from} proved it receives at its address on {@code channel}: remember the route. */
    void learn(InetSocketAddress from, Channel channel) {
        if (needsRoutes && routes.get(from) != channel && routes.size() < MAX_ROUTES) {
            routes.put(from, channel);
        }
    }

    /** Forgets the routes of addresses that {@code keep} no longer wants (those without a session). */
    void retain(Predicate<InetSocketAddress> keep) {
        routes.keySet().removeIf(keep.negate());
    }

    int routeCount() {
        return routes.size();
    }

    @Override
    public void send(InetSocketAddress to, byte[] datagram) {
        Channel channel = needsRoutes ? routes.get(to) : null;
        if (channel == null && needsRoutes && to.equals(currentSender)) {
            channel = currentChannel;
        }
        if (channel == null) {
            channel = pick(to);
        }
        if (channel == null) {
            return;
        }
        // straight into a pooled direct buffer: the epoll channel would otherwise copy a heap buffer into one
        DatagramPacket packet = new DatagramPacket(channel.alloc().directBuffer(datagram.length).writeBytes(datagram), to);
        if (!channel.eventLoop().inEventLoop()) {
            channel.writeAndFlush(packet, channel.voidPromise());
            return;
        }
        channel.write(packet, channel.voidPromise());
        if (!unflushed.contains(channel)) {
            unflushed.add(channel);
        }
        if (!inBatch && !flushQueued) {
            flushQueued = true;
            afterTask.execute(flushTask);
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
