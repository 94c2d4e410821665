package org.rtmfpd.cluster;

import java.util.function.Consumer;

/**
 * What cluster mode runs on: the shared store, the courier between nodes, and the state of the
 * connection under both (Redis, in {@code RedisBackend}). Its state changes arrive as events, never by
 * polling.
 */
public interface ClusterBackend extends AutoCloseable {
    ClusterStore store();

    Courier courier();

    /** The name registry's store shared by the cluster's nodes. */
    org.rtmfpd.registry.NameStore nameStore(long expiryMillis);

    /**
     * Calls {@code listener} with the connection's state now, then at each change (true: up), on any
     * thread.
     */
    void onState(Consumer<Boolean> listener);

    @Override
    void close();
}
