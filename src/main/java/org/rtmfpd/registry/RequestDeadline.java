package org.rtmfpd.registry;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Closes a connection that does not complete a request within the deadline, counted from its opening
 * or from the previous answer: a slow client (one byte at a time) or an idle one gets a 408 and is
 * closed, so that neither holds a connection slot for long. While the service works on a request the
 * clock stops. Sits between the HTTP codec and the aggregator; one per connection.
 */
final class RequestDeadline extends ChannelDuplexHandler {
    private final long millis;
    private final Consumer<RegistryEvent> counter;
    private ScheduledFuture<?> timer;
    private boolean answering;

    RequestDeadline(long millis, Consumer<RegistryEvent> counter) {
        this.millis = millis;
        this.counter = counter;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof LastHttpContent) {
            stop();
            answering = true;
        } else if (msg instanceof HttpRequest && answering) {
            // Pipelined: the next request starts before the answer; its clock starts with the answer.
            answering = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse && answering) {
            answering = false;
            start(ctx);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void start(ChannelHandlerContext ctx) {
        stop();
        timer = ctx.executor().schedule(() -> expire(ctx), millis, TimeUnit.MILLISECONDS);
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (answering || !ctx.channel().isActive()) {
            return;
        }
        RegistryAnswer a = RegistryAnswer.error(408, RegistryEvent.TIMEOUT,
                "no complete request within " + millis + " ms");
        counter.accept(RegistryEvent.TIMEOUT);
        ctx.writeAndFlush(RegistryHttpHandler.response(a, false)).addListener(ChannelFutureListener.CLOSE);
    }
}
