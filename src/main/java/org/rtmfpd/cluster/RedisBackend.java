package org.rtmfpd.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/** Cluster mode on Redis: the {@link RedisClusterStore} and {@link RedisCourier} over one {@link RedisConnection}. */
public final class RedisBackend implements ClusterBackend {
    private final RedisConnection connection;
    private final RedisClusterStore store;
    private final RedisCourier courier;
    private final String namespace;

    private RedisBackend(RedisConnection connection, RedisClusterStore store, RedisCourier courier, String namespace) {
        this.namespace = namespace;
        this.connection = connection;
        this.store = store;
        this.courier = courier;
    }

    /**
     * Connects to the Redis of {@code settings} and loads the store's scripts; throws, with a message
     * naming the Redis (never its password), if it cannot be reached now.
     *
     * @param keyOfHash the developer key whose hash is given, from this node's keys
     */
    public static RedisBackend open(ClusterSettings settings, Function<String, Optional<String>> keyOfHash,
            LongSupplier clock, RandomGenerator random) {
        return open(settings, keyOfHash, clock, random, Optional.empty());
    }

    /** As {@link #open(ClusterSettings, Function, LongSupplier, RandomGenerator)}, Redis I/O on {@code io}, if given. */
    public static RedisBackend open(ClusterSettings settings, Function<String, Optional<String>> keyOfHash,
            LongSupplier clock, RandomGenerator random, Optional<io.netty.channel.EventLoopGroup> io) {
        RedisConnection connection = RedisConnection.open(settings.redis().orElseThrow(), settings.redisPasswordFile(),
                settings.redisCaFile(), Duration.ofMillis(settings.redisTimeoutMs()), io);
        try {
            RedisClusterStore store = new RedisClusterStore(connection.commands(), connection.binaryCommands(), settings.namespace(), keyOfHash,
                    clock, random, Duration.ofMillis(settings.nodeLifetimeMs()));
            store.load().toCompletableFuture().join();
            return new RedisBackend(connection, store, new RedisCourier(connection, settings.namespace()),
                    settings.namespace());
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The name registry's store in the same Redis, namespace and connection. */
    @Override
    public org.rtmfpd.registry.RedisNameStore nameStore(long expiryMillis) {
        return new org.rtmfpd.registry.RedisNameStore(connection.commands(), namespace, expiryMillis,
                org.rtmfpd.registry.MemoryNameStore.DEFAULT_MAX_PER_KEY, org.rtmfpd.registry.MemoryNameStore.DEFAULT_MAX_TOTAL);
    }

    @Override
    public ClusterStore store() {
        return store;
    }

    @Override
    public Courier courier() {
        return courier;
    }

    @Override
    public void onState(Consumer<Boolean> listener) {
        connection.onStateChange(s -> listener.accept(s == RedisConnection.State.UP));
        listener.accept(connection.state() == RedisConnection.State.UP);
    }

    /** Where it is connected, for logs (the password masked). */
    @Override
    public String toString() {
        return connection.toString();
    }

    @Override
    public void close() {
        courier.close();
        store.close();
        connection.close();
    }
}
