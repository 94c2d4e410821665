package org.rtmfpd.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.rtmfpd.client.ClientCore;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientListener;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.client.Initiator;
import org.rtmfpd.session.Clock;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.Packet;

/**
 * The project's client core on the test's own thread and UDP socket, which can also put raw session
 * packets, any chunks at all, on its session with the server, as a hostile client would. Every datagram
 * from the server goes through {@code inspect} (decrypted) before the core gets it.
 */
final class RawSessionClient implements AutoCloseable {
    private static final int RECEIVE_BUFFER = 8192;
    private static final long TICK_MILLIS = 25;

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final Clock clock = Clock.system();
    private final ClientCore core;
    private final Consumer<List<Chunk>> inspect;
    private Initiator.Opened opened;
    private long lastTick;

    RawSessionClient(InetSocketAddress server, Consumer<List<Chunk>> inspect) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        this.server = server;
        this.inspect = inspect;
        SecureRandom random = new SecureRandom();
        this.core = new ClientCore(ClientIdentity.generate(random), ClientSettings.FLASH_LIKE, this::send, clock,
                System::nanoTime, random, new ClientListener() {
                    @Override
                    public void onHandshakeOpened(Initiator handshake, Initiator.Opened keys) {
                        opened = keys;
                    }
                });
    }

    ClientCore core() {
        return core;
    }

    /** Connects to {@code url} and waits (at most {@code limitMillis}) for the answer's code. */
    Object connect(String url, long limitMillis) {
        CompletableFuture<Map<String, Object>> answer = core.connect(URI.create(url), server);
        pumpUntil(answer::isDone, limitMillis);
        return answer.getNow(Map.of()).get("code");
    }

    /** Sends {@code chunks} to the server in one packet of the open session, whatever they say. */
    void sendRaw(List<Chunk> chunks) {
        Packet packet = new Packet(Packet.MODE_INITIATOR | Packet.TS,
                (int) ((clock.nowMillis() / Packet.TIMESTAMP_TICK_MILLIS) & 0xffff), Packet.ABSENT, chunks);
        send(server, Datagrams.encode(opened.farId(), opened.cipher(), 0, packet));
    }

    /** Handles what arrives, and runs the core's timers, until {@code done} holds or the limit passes. */
    boolean pumpUntil(BooleanSupplier done, long limitMillis) {
        long deadline = clock.nowMillis() + limitMillis;
        while (!done.getAsBoolean() && clock.nowMillis() < deadline) {
            receiveOne(10);
        }
        return done.getAsBoolean();
    }

    /** Handles what arrives until nothing has for {@code quietMillis}. */
    void drain(int quietMillis) {
        while (receiveOne(quietMillis)) {
            // keep going
        }
    }

    private boolean receiveOne(int timeoutMillis) {
        long now = clock.nowMillis();
        if (now - lastTick >= TICK_MILLIS) {
            lastTick = now;
            core.tick();
        }
        DatagramPacket p = new DatagramPacket(new byte[RECEIVE_BUFFER], RECEIVE_BUFFER);
        try {
            socket.setSoTimeout(timeoutMillis);
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] datagram = Arrays.copyOf(p.getData(), p.getLength());
        InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
        if (opened != null && Datagrams.sessionId(datagram) == opened.nearId()) {
            try {
                inspect.accept(Datagrams.decode(datagram, opened.cipher()).packet().chunks());
            } catch (RuntimeException e) {
                // not a session packet after all: the core decides
            }
        }
        core.receive(datagram, from);
        return true;
    }

    private void send(InetSocketAddress to, byte[] datagram) {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
