package org.rtmfpd.client;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.rtmfpd.session.Transmitter;

/** An in-memory network on simulated time: datagrams are queued and delivered in order, optionally dropped. */
final class Loopback {
    static final long STEP_MILLIS = 20;

    record Delivery(InetSocketAddress from, InetSocketAddress to, byte[] datagram) {
    }

    final FakeNetwork.ManualClock clock = new FakeNetwork.ManualClock();
    private final Map<InetSocketAddress, BiConsumer<byte[], InetSocketAddress>> endpoints = new HashMap<>();
    private final List<Runnable> tickers = new ArrayList<>();
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    final List<Delivery> delivered = new ArrayList<>();
    Predicate<Delivery> drop = d -> false;

    Transmitter transmitterFor(InetSocketAddress self) {
        return (to, datagram) -> queue.add(new Delivery(self, to, datagram));
    }

    void attach(InetSocketAddress address, BiConsumer<byte[], InetSocketAddress> receiver, Runnable ticker) {
        endpoints.put(address, receiver);
        tickers.add(ticker);
    }

    /** Delivers everything queued, and whatever that causes, at the current time. */
    void run() {
        Delivery d;
        int limit = 100_000;
        while ((d = queue.poll()) != null && limit-- > 0) {
            BiConsumer<byte[], InetSocketAddress> endpoint = endpoints.get(d.to());
            if (endpoint != null && !drop.test(d)) {
                delivered.add(d);
                endpoint.accept(d.datagram(), d.from());
            }
        }
    }

    /** Moves time forward in small steps, ticking every endpoint and delivering as it goes. */
    void advance(long millis) {
        run();
        for (long t = 0; t < millis; t += STEP_MILLIS) {
            clock.advance(STEP_MILLIS);
            for (Runnable ticker : tickers) {
                ticker.run();
            }
            run();
        }
    }
}
