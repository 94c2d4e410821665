package org.rtmfpd.cluster;

import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Hands Lettuce an event loop group that someone else owns (the server's protocol loop), for its
 * connections' I/O: Lettuce allocates it for any transport class (a Netty 4.2 group takes any channel
 * its I/O handler supports) and never shuts it down; its owner does.
 */
final class SharedEventLoop implements EventLoopGroupProvider {
    private final EventLoopGroup group;

    SharedEventLoop(EventLoopGroup group) {
        this.group = Objects.requireNonNull(group, "group");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends EventLoopGroup> T allocate(Class<T> type) {
        return (T) group;
    }

    @Override
    public int threadPoolSize() {
        return 1;
    }

    @Override
    public Future<Boolean> release(EventExecutorGroup eventLoopGroup, long quietPeriod, long timeout, TimeUnit unit) {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }

    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit timeUnit) {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }
}
