package org.rtmfpd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** Replies written during a read batch go out with one flush at its end; others with one flush per task. */
class RouterTest {
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 1001);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 1002);

    /** Counts the flushes that reach the channel. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int flushes;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    private final FlushCounter counter = new FlushCounter();
    private final EmbeddedChannel channel = new EmbeddedChannel(counter);
    private final Queue<Runnable> afterTask = new ArrayDeque<>();
    private final Router router = new Router(List.of(channel), afterTask::add);

    private void runAfterTasks() {
        for (Runnable r; (r = afterTask.poll()) != null; ) {
            r.run();
        }
    }

    private void drain(int expected) {
        for (int i = 0; i < expected; i++) {
            DatagramPacket p = channel.readOutbound();
            assertEquals(i == 0 ? A : B, p.recipient());
            p.release();
        }
        assertNull(channel.readOutbound());
    }

    @Test
    void aReadBatchIsFlushedOnceAtItsEnd() {
        router.receiving(A, channel);
        router.send(A, new byte[] {1});
        router.receiving(null, null);
        router.receiving(B, channel);
        router.send(B, new byte[] {2});
        router.send(B, new byte[] {3});
        router.receiving(null, null);
        assertEquals(0, counter.flushes);
        assertNull(channel.readOutbound(), "nothing leaves before the batch ends");

        router.endBatch();
        assertEquals(1, counter.flushes);
        runAfterTasks();
        assertEquals(1, counter.flushes, "no extra flush task was queued during the batch");
        drain(3);
    }

    @Test
    void writesOutsideABatchAreFlushedOnceAfterTheTask() {
        router.send(A, new byte[] {1});
        router.send(B, new byte[] {2});
        assertEquals(0, counter.flushes);
        runAfterTasks();
        assertEquals(1, counter.flushes);
        drain(2);
        runAfterTasks();
        assertEquals(1, counter.flushes);
    }

    @Test
    void aBatchWithoutRepliesFlushesNothing() {
        router.receiving(A, channel);
        router.receiving(null, null);
        router.endBatch();
        runAfterTasks();
        assertEquals(0, counter.flushes);
    }
}
