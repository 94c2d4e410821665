package org.rtmfpd.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.rtmfpd.nat.SocketRole;
import org.rtmfpd.nat.StunDrop;
import org.rtmfpd.nat.StunMessage;
import org.rtmfpd.nat.StunResponder;

/**
 * Turns STUN datagrams received on the server's channels into answers written on the channel the
 * responder names: the RTMFP listen channels (where RTMFP and STUN share the port) and the channels
 * of {@code stun-alternate}, which carry STUN only. Runs on the protocol thread.
 */
final class StunSockets {
    /** The responder and role of each channel. */
    private record Binding(StunResponder responder, SocketRole role, Map<SocketRole, Channel> siblings) {
    }

    private final Map<Channel, Binding> bindings = new HashMap<>();
    private final ServerMetrics metrics;

    StunSockets(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    /** Serves STUN with {@code responder} on {@code channels}, one per role (only PRIMARY without discovery). */
    void add(StunResponder responder, Map<SocketRole, Channel> channels) {
        Map<SocketRole, Channel> siblings = new EnumMap<>(channels);
        channels.forEach((role, channel) -> bindings.put(channel, new Binding(responder, role, siblings)));
    }

    /**
     * Takes {@code datagram} if it is STUN (RFC 7983), or if it arrived on a STUN-only channel; false
     * leaves it to RTMFP.
     */
    boolean offer(Channel channel, InetSocketAddress from, byte[] datagram) {
        Binding b = bindings.get(channel);
        if (b == null) {
            return false;
        }
        if (!StunMessage.looksLikeStun(datagram)) {
            if (b.role() == SocketRole.PRIMARY) {
                return false;
            }
            metrics.drop(StunDrop.NOT_STUN_ON_ALTERNATE.label());
            return true;
        }
        metrics.packetsIn.increment();
        metrics.bytesIn.add(datagram.length);
        StunResponder.Outcome outcome = b.responder().answer(b.role(), from, datagram);
        if (outcome instanceof StunResponder.Dropped dropped) {
            metrics.drop(dropped.reason().label());
        } else if (outcome instanceof StunResponder.Reply reply) {
            Channel out = b.siblings().get(reply.from());
            out.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply.datagram()), from), out.voidPromise());
            metrics.packetsOut.increment();
            metrics.bytesOut.add(reply.datagram().length);
            metrics.count(STUN_ANSWERED);
        }
        return true;
    }

    /** The event counted for each answered STUN request. */
    static final String STUN_ANSWERED = "stun_answered";
}
