package org.rtmfpd.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.util.function.BiConsumer;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns each received UDP datagram into a byte array and its sender, for the protocol core. */
@ChannelHandler.Sharable
final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger LOG = LoggerFactory.getLogger(DatagramHandler.class);
    private final BiConsumer<InetSocketAddress, byte[]> sink;
    private final Router router;

    DatagramHandler(Router router, BiConsumer<InetSocketAddress, byte[]> sink) {
        this.router = router;
        this.sink = sink;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        router.learn(packet.sender(), ctx.channel());
        sink.accept(packet.sender(), ByteBufUtil.getBytes(packet.content()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("error on {}: {}", ctx.channel().localAddress(), cause.toString(), cause);
    }
}
