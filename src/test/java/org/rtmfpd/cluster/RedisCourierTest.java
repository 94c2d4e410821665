package org.rtmfpd.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.rendezvous.Ids.group;
import static org.rtmfpd.rendezvous.Ids.peer;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisCourierTest {
    @RegisterExtension
    static final RedisTestServer server = new RedisTestServer();

    @Test
    void eachNodeReceivesOnlyItsOwnDeliveries() throws Exception {
        try (RedisConnection c1 = server.connect();
                RedisConnection c2 = server.connect();
                RedisCourier a = new RedisCourier(c1, "courier");
                RedisCourier b = new RedisCourier(c2, "courier")) {
            BlockingQueue<Delivery> atA = new ArrayBlockingQueue<>(10);
            BlockingQueue<Delivery> atB = new ArrayBlockingQueue<>(10);
            a.receive("a", atA::add);
            b.receive("b", atB::add);
            Delivery refer = new Delivery.Refer(peer(1), group(2), peer(3));
            Delivery.Forward forward = DeliveryCodecTest.forward("198.51.100.4", 34, 16);
            a.send("b", refer);
            a.send("b", forward);
            b.send("a", new Delivery.Evict(peer(9)));
            assertEquals(refer, atB.poll(5, TimeUnit.SECONDS));
            Delivery.Forward got = (Delivery.Forward) atB.poll(5, TimeUnit.SECONDS);
            assertTrue(Arrays.equals(forward.tag(), got.tag()) && forward.initiator().equals(got.initiator()));
            assertEquals(new Delivery.Evict(peer(9)), atA.poll(5, TimeUnit.SECONDS));
            c1.binaryCommands().publish(b.channel("b"), new byte[] {1, 2, 3}).get(5, TimeUnit.SECONDS);
            b.send("b", new Delivery.Evict(peer(10)));
            assertEquals(new Delivery.Evict(peer(10)), atB.poll(5, TimeUnit.SECONDS), "a malformed message is skipped");
            assertEquals(1, b.malformed());
            assertTrue(atA.isEmpty() && atB.isEmpty());
        }
    }

    /** Publish → receive latency on loopback, 1,000 messages one after the other; printed for the record. */
    @Test
    void latencyOnLoopback() throws Exception {
        try (RedisConnection c1 = server.connect();
                RedisConnection c2 = server.connect();
                RedisCourier sender = new RedisCourier(c1, "latency");
                RedisCourier receiver = new RedisCourier(c2, "latency")) {
            int n = 1000;
            int warmup = 200;
            long[] sentAt = new long[n + warmup];
            long[] took = new long[n + warmup];
            CountDownLatch[] arrived = {null};
            receiver.receive("r", d -> {
                int i = ((Delivery.Evict) d).peer().bytes()[0] & 0xff | (((Delivery.Evict) d).peer().bytes()[1] & 0xff) << 8;
                took[i] = System.nanoTime() - sentAt[i];
                arrived[0].countDown();
            });
            for (int i = 0; i < n + warmup; i++) {
                byte[] id = new byte[32];
                id[0] = (byte) i;
                id[1] = (byte) (i >> 8);
                arrived[0] = new CountDownLatch(1);
                sentAt[i] = System.nanoTime();
                sender.send("r", new Delivery.Evict(org.rtmfpd.rendezvous.PeerId.of(id)));
                assertTrue(arrived[0].await(5, TimeUnit.SECONDS), "message " + i + " arrived");
            }
            long[] measured = Arrays.copyOfRange(took, warmup, n + warmup);
            Arrays.sort(measured);
            System.out.printf("courier publish->receive on loopback, %d messages: p50 %.1f us, p99 %.1f us, max %.1f us%n",
                    n, measured[n / 2] / 1e3, measured[n * 99 / 100] / 1e3, measured[n - 1] / 1e3);
            assertTrue(measured[n / 2] < TimeUnit.MILLISECONDS.toNanos(50), "p50 under 50 ms");
        }
    }
}
