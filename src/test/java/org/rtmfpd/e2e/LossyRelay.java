package org.rtmfpd.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * A UDP relay on 127.0.0.1 between one client and a server that drops the server's datagrams that
 * {@code dropToClient} picks (by their index, counting from 0), to force retransmissions.
 */
final class LossyRelay implements AutoCloseable {
    private final DatagramSocket clientSide;
    private final DatagramSocket serverSide;
    private final InetSocketAddress server;
    private final IntPredicate dropToClient;
    private final AtomicInteger toClient = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile InetSocketAddress client;
    private volatile boolean cut;
    private final Thread up;
    private final Thread down;

    LossyRelay(InetSocketAddress server, IntPredicate dropToClient) throws SocketException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.clientSide = new DatagramSocket(new InetSocketAddress(loopback, 0));
        this.serverSide = new DatagramSocket(new InetSocketAddress(loopback, 0));
        this.server = server;
        this.dropToClient = dropToClient;
        this.up = start(this::pumpUp, "relay-up");
        this.down = start(this::pumpDown, "relay-down");
    }

    private static Thread start(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** From now on nothing passes either way, as if the client vanished. */
    void cut() {
        cut = true;
    }

    int port() {
        return clientSide.getLocalPort();
    }

    int dropped() {
        return dropped.get();
    }

    private void pumpUp() {
        byte[] buffer = new byte[65536];
        while (!clientSide.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                clientSide.receive(p);
                client = (InetSocketAddress) p.getSocketAddress();
                if (cut) {
                    continue;
                }
                serverSide.send(new DatagramPacket(p.getData(), p.getLength(), server));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pumpDown() {
        byte[] buffer = new byte[65536];
        while (!serverSide.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                serverSide.receive(p);
                if (cut || dropToClient.test(toClient.getAndIncrement())) {
                    dropped.incrementAndGet();
                    continue;
                }
                if (client != null) {
                    clientSide.send(new DatagramPacket(p.getData(), p.getLength(), client));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        clientSide.close();
        serverSide.close();
        up.join(2_000);
        down.join(2_000);
    }
}
