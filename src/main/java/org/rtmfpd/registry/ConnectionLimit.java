package org.rtmfpd.registry;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Caps the name registry's open connections: one past the cap is answered 503 and closed at once,
 * before any of its bytes are read. Shared by every connection of one server; first in the pipeline.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private static final String BUSY_BODY = "rtmfpd name registry: too many connections; try again soon\n";
    private static final byte[] BUSY = ("HTTP/1.1 503 Service Unavailable\r\n"
            + "Content-Type: " + RegistryAnswer.TEXT + "\r\n"
            + "Content-Length: " + BUSY_BODY.length() + "\r\n"
            + "Connection: close\r\n"
            + "Retry-After: 5\r\n\r\n"
            + BUSY_BODY).getBytes(StandardCharsets.US_ASCII);

    private final int max;
    private final Consumer<RegistryEvent> counter;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimit(int max, Consumer<RegistryEvent> counter) {
        this.max = max;
        this.counter = counter;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            counter.accept(RegistryEvent.TOO_MANY_CONNECTIONS);
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(BUSY)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    /** Connections open now, refused ones included until they are closed. */
    int open() {
        return open.get();
    }
}
