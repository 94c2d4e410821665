package org.rtmfpd.cluster;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Courier} on Redis pub/sub: node N receives on the channel {@code {NS}:inbox:N}; each
 * message is one {@link Delivery} in {@link DeliveryCodec}'s bytes. Publishing goes through the
 * connection's binary commands, receiving through a pub/sub connection of its own, which Lettuce
 * re-subscribes after a reconnect. A message that fails to publish or to decode is counted and
 * logged at debug level, never thrown: delivery is best effort, as a datagram's.
 */
public final class RedisCourier implements Courier {
    private static final Logger log = LoggerFactory.getLogger(RedisCourier.class);

    private final RedisConnection connection;
    private final RedisClusterAsyncCommands<String, byte[]> publisher;
    private final String prefix;
    private final LongAdder sendFailures = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private StatefulRedisPubSubConnection<String, byte[]> subscriber;

    public RedisCourier(RedisConnection connection, String namespace) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.publisher = connection.binaryCommands();
        this.prefix = "{" + namespace + "}";
    }

    /** The channel of {@code node}. */
    public String channel(String node) {
        return prefix + ":inbox:" + node;
    }

    @Override
    public void send(String node, Delivery delivery) {
        byte[] message = DeliveryCodec.encode(delivery);
        try {
            publisher.publish(channel(node), message).whenComplete((n, e) -> {
                if (e != null) {
                    failed(node, e);
                }
            });
        } catch (RuntimeException e) {
            failed(node, e);
        }
    }

    @Override
    public synchronized void receive(String node, Consumer<Delivery> receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (subscriber != null) {
            throw new IllegalStateException("this courier already receives");
        }
        String channel = channel(node);
        subscriber = connection.pubSub();
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, byte[] message) {
                if (!channel.equals(ch)) {
                    return;
                }
                Delivery d;
                try {
                    d = DeliveryCodec.decode(message);
                } catch (IllegalArgumentException e) {
                    malformed.increment();
                    log.debug("dropped a malformed delivery on {}: {}", ch, e.getMessage());
                    return;
                }
                receiver.accept(d);
            }
        });
        subscriber.sync().subscribe(channel);
    }

    /** Deliveries that could not be published. */
    public long sendFailures() {
        return sendFailures.sum();
    }

    /** Messages received that did not decode. */
    public long malformed() {
        return malformed.sum();
    }

    @Override
    public synchronized void close() {
        if (subscriber != null) {
            connection.release(subscriber);
            subscriber = null;
        }
    }

    private void failed(String node, Throwable e) {
        sendFailures.increment();
        log.debug("a delivery to node {} was not published: {}", node, e.toString());
    }
}
