package org.rtmfpd.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.session.Clock;

/** {@link MiniServer} on a real loopback UDP socket, served by one thread, for tests of the Netty edge and the CLI. */
final class UdpMiniServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final MiniServer server;
    private final Thread thread;
    private volatile boolean running = true;

    UdpMiniServer(Certificate certificate) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(10);
        server = certificate == null
                ? new MiniServer(this::send, Clock.system())
                : new MiniServer(this::send, Clock.system(), certificate);
        thread = new Thread(this::serve, "mini-server");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    String url(String key) {
        return "rtmfp://127.0.0.1:" + address().getPort() + "/" + key;
    }

    private void send(InetSocketAddress to, byte[] datagram) {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, to));
        } catch (IOException e) {
            // loss is normal for UDP
        }
    }

    private void serve() {
        byte[] buffer = new byte[8192];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                server.receive(Arrays.copyOf(packet.getData(), packet.getLength()),
                        (InetSocketAddress) packet.getSocketAddress());
            } catch (SocketTimeoutException e) {
                // time to tick
            } catch (IOException e) {
                return;
            } catch (RuntimeException e) {
                // a datagram the mini server cannot take: ignore it
            }
            server.tick();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }
}
