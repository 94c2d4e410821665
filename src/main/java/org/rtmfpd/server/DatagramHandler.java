package org.rtmfpd.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each received UDP datagram into a byte array and its sender, for the protocol core, and tells
 * the router which channel answers go through; STUN datagrams go to the STUN sockets instead.
 */
@ChannelHandler.Sharable
final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger LOG = LoggerFactory.getLogger(DatagramHandler.class);
    /** Takes a datagram; answers whether it proved its sender's address. */
    private final BiPredicate<InetSocketAddress, byte[]> sink;
    private final Router router;
    /** Takes STUN datagrams off the RTMFP path; null when STUN is off. */
    private final StunSockets stun;

    DatagramHandler(Router router, BiPredicate<InetSocketAddress, byte[]> sink, StunSockets stun) {
        this.router = router;
        this.sink = sink;
        this.stun = stun;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress sender = packet.sender();
        byte[] datagram = ByteBufUtil.getBytes(packet.content());
        if (stun != null && stun.offer(ctx.channel(), sender, datagram)) {
            return;
        }
        router.receiving(sender, ctx.channel());
        try {
            if (sink.test(sender, datagram)) {
                router.learn(sender, ctx.channel());
            }
        } finally {
            router.receiving(null, null);
        }
    }

    /** The end of a read batch: the replies written during it are flushed together. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        router.endBatch();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("error on {}: {}", ctx.channel().localAddress(), cause.toString());
        LOG.debug("error on {}", ctx.channel().localAddress(), cause);
    }
}
