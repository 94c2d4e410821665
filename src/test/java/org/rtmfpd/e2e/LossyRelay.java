package org.rtmfpd.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * A lossy UDP path on 127.0.0.1 in front of one client, like a NAT: the world sees the client at
 * {@link #publicAddress()}; the client reaches the server at {@link #port()}, and any other party
 * that sent to the public address at an inside socket made for it. Datagrams either way can be
 * dropped, duplicated or held back behind later ones, each decision drawn from a seeded
 * {@link Impairment} (one random sequence per direction); {@code dropToClient} also drops the
 * datagrams towards the client that it picks by their index, counting from 0.
 */
final class LossyRelay implements AutoCloseable {
    /** Longest a datagram held back for reordering waits when nothing follows it. */
    private static final long HOLD_MILLIS = 40;

    /** Chances per datagram of loss, of being held behind the next one, and of a duplicate. */
    record Impairment(double loss, double reorder, double duplicate, long seed) {
        static final Impairment NONE = new Impairment(0, 0, 0, 0);
    }

    private final DatagramSocket outside;
    private final InetSocketAddress server;
    private final IntPredicate dropToClient;
    private final Direction up;
    private final Direction down;
    private final AtomicInteger toClient = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final Map<InetSocketAddress, DatagramSocket> insideFor = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService release = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relay-release");
        t.setDaemon(true);
        return t;
    });
    private final DatagramSocket serverInside;
    private volatile InetSocketAddress client;
    private volatile boolean cut;
    private volatile boolean closed;

    LossyRelay(InetSocketAddress server, IntPredicate dropToClient) throws SocketException {
        this(server, dropToClient, Impairment.NONE);
    }

    LossyRelay(InetSocketAddress server, Impairment impairment) throws SocketException {
        this(server, i -> false, impairment);
    }

    private LossyRelay(InetSocketAddress server, IntPredicate dropToClient, Impairment impairment) throws SocketException {
        this.outside = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.server = server;
        this.dropToClient = dropToClient;
        this.up = new Direction(impairment, impairment.seed());
        this.down = new Direction(impairment, ~impairment.seed());
        this.serverInside = inside(server);
        start(this::pumpIn, "relay-in");
    }

    private void start(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** From now on nothing passes either way, as if the client vanished. */
    void cut() {
        cut = true;
    }

    /** Where the client reaches the server. */
    int port() {
        return serverInside.getLocalPort();
    }

    /** The client's address as the server and other peers see it. */
    InetSocketAddress publicAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), outside.getLocalPort());
    }

    int dropped() {
        return dropped.get();
    }

    int duplicated() {
        return up.duplicated.get() + down.duplicated.get();
    }

    int reordered() {
        return up.reordered.get() + down.reordered.get();
    }

    /** The inside socket that stands for {@code remote} towards the client, made on first use. */
    private synchronized DatagramSocket inside(InetSocketAddress remote) {
        DatagramSocket socket = insideFor.get(remote);
        if (socket == null) {
            try {
                socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            } catch (SocketException e) {
                throw new IllegalStateException(e);
            }
            insideFor.put(remote, socket);
            DatagramSocket s = socket;
            start(() -> pumpOut(s, remote), "relay-out");
        }
        return socket;
    }

    /** Client to {@code remote}: what the client sends to {@code socket} leaves from the public address. */
    private void pumpOut(DatagramSocket socket, InetSocketAddress remote) {
        byte[] buffer = new byte[65536];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                socket.receive(p);
                client = (InetSocketAddress) p.getSocketAddress();
                if (cut) {
                    continue;
                }
                up.pass(java.util.Arrays.copyOf(p.getData(), p.getLength()), outside, remote);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Anyone to the client: what reaches the public address goes in from the sender's inside socket. */
    private void pumpIn() {
        byte[] buffer = new byte[65536];
        while (!outside.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                outside.receive(p);
                InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
                if (cut || dropToClient.test(toClient.getAndIncrement())) {
                    dropped.incrementAndGet();
                    continue;
                }
                InetSocketAddress to = client;
                if (to != null) {
                    down.pass(java.util.Arrays.copyOf(p.getData(), p.getLength()), inside(from), to);
                }
            } catch (IOException | IllegalStateException e) {
                return;
            }
        }
    }

    /** One direction's impairments, drawn in the order its datagrams arrive. */
    private final class Direction {
        private final Impairment impairment;
        private final Random random;
        private final AtomicInteger duplicated = new AtomicInteger();
        private final AtomicInteger reordered = new AtomicInteger();
        private Held held;

        Direction(Impairment impairment, long seed) {
            this.impairment = impairment;
            this.random = new Random(seed);
        }

        synchronized void pass(byte[] datagram, DatagramSocket via, InetSocketAddress to) throws IOException {
            if (random.nextDouble() < impairment.loss()) {
                dropped.incrementAndGet();
                return;
            }
            boolean duplicate = random.nextDouble() < impairment.duplicate();
            boolean hold = random.nextDouble() < impairment.reorder();
            Held before = held;
            held = null;
            if (hold && before == null) {
                Held h = new Held(datagram, via, to);
                held = h;
                reordered.incrementAndGet();
                release.schedule(() -> releaseIfHeld(h), HOLD_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                send(datagram, via, to);
            }
            if (duplicate) {
                duplicated.incrementAndGet();
                send(datagram, via, to);
            }
            if (before != null) {
                send(before.datagram, before.via, before.to); // after a later one: reordered
            }
        }

        private synchronized void releaseIfHeld(Held h) {
            if (held == h) {
                held = null;
                try {
                    send(h.datagram, h.via, h.to);
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }

        private void send(byte[] datagram, DatagramSocket via, InetSocketAddress to) throws IOException {
            if (!closed) {
                via.send(new DatagramPacket(datagram, datagram.length, to));
            }
        }
    }

    private record Held(byte[] datagram, DatagramSocket via, InetSocketAddress to) {
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        outside.close();
        insideFor.values().forEach(DatagramSocket::close);
        release.shutdownNow();
        for (Thread t : threads) {
            t.join(2_000);
        }
    }
}
