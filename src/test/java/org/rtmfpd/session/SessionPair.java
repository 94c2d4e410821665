package org.rtmfpd.session;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.crypto.SessionKeys;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.Packet;

/**
 * Two sessions wired back to back through in-memory queues, with one manual clock: the test decides
 * when datagrams are delivered, dropped or reordered.
 */
final class SessionPair {
    static final InetSocketAddress INITIATOR_ADDRESS = new InetSocketAddress("127.0.0.1", 40000);
    static final InetSocketAddress RESPONDER_ADDRESS = new InetSocketAddress("127.0.0.1", 1935);

    final ManualClock clock = new ManualClock();
    final Recorder initiatorEvents = new Recorder();
    final Recorder responderEvents = new Recorder();
    final Deque<byte[]> toResponder = new ArrayDeque<>();
    final Deque<byte[]> toInitiator = new ArrayDeque<>();
    final Session initiator;
    final Session responder;
    /** The sessions' timer wheel, or null when the test calls {@link Session#tick} itself. */
    final TimerWheel<Session> wheel;

    SessionPair(SessionSettings settings, boolean hmacAndSequenceNumbers) {
        this(settings, hmacAndSequenceNumbers, false);
    }

    /** With {@code onWheel}, both sessions' timers run from {@link #wheel} instead of {@link Session#tick}. */
    SessionPair(SessionSettings settings, boolean hmacAndSequenceNumbers, boolean onWheel) {
        wheel = onWheel ? new TimerWheel<>(64, 2048, clock.now) : null;
        byte[] secret = new byte[128];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (i * 7 + 3);
        }
        byte[] skic = {1, 2, 3};
        byte[] skrc = {4, 5, 6};
        int hmac = hmacAndSequenceNumbers ? 16 : 0;
        PacketCipher initiatorCipher = PacketCipher.forSession(SessionKeys.derive(secret, skic, skrc), hmac, hmac,
                hmacAndSequenceNumbers, hmacAndSequenceNumbers);
        PacketCipher responderCipher = PacketCipher.forSession(SessionKeys.derive(secret, skrc, skic), hmac, hmac,
                hmacAndSequenceNumbers, hmacAndSequenceNumbers);
        initiator = new Session(0x11111111, 0x22222222, true, RESPONDER_ADDRESS, new byte[32], initiatorCipher,
                (to, d) -> toResponder.add(d), clock, settings, initiatorEvents, wheel);
        responder = new Session(0x22222222, 0x11111111, false, INITIATOR_ADDRESS, new byte[32], responderCipher,
                (to, d) -> toInitiator.add(d), clock, settings, responderEvents, wheel);
    }

    /** Delivers queued datagrams both ways until none are left, dropping those {@code drop} picks. */
    int exchange(Predicate<byte[]> drop) {
        int delivered = 0;
        while (!toResponder.isEmpty() || !toInitiator.isEmpty()) {
            delivered += deliver(toResponder, responder, INITIATOR_ADDRESS, drop);
            delivered += deliver(toInitiator, initiator, RESPONDER_ADDRESS, drop);
        }
        return delivered;
    }

    /** Runs the timers due now: the wheel's, or, without one, both sessions' ticks. */
    void tick() {
        if (wheel != null) {
            wheel.expire(clock.now, Session::tick);
        } else {
            initiator.tick();
            responder.tick();
        }
    }

    int exchange() {
        return exchange(d -> false);
    }

    /**
     * Hands {@code chunks} to the responder in one packet as from the initiator, whatever they say (the
     * pair must run without session sequence numbers).
     */
    void sendRawToResponder(List<? extends Chunk> chunks) {
        Packet packet = new Packet(Packet.MODE_INITIATOR | Packet.TS, 0, Packet.ABSENT, List.copyOf(chunks));
        byte[] datagram = Datagrams.encode(responder.nearId(), initiator.cipher(), 0, packet);
        responder.receive(Datagrams.decode(datagram, responder.cipher()), INITIATOR_ADDRESS);
    }

    /** Hands {@code chunks} to the initiator in one packet as from the responder. */
    void sendRawToInitiator(List<? extends Chunk> chunks) {
        Packet packet = new Packet(Packet.MODE_RESPONDER | Packet.TS, 0, Packet.ABSENT, List.copyOf(chunks));
        byte[] datagram = Datagrams.encode(initiator.nearId(), responder.cipher(), 0, packet);
        initiator.receive(Datagrams.decode(datagram, initiator.cipher()), RESPONDER_ADDRESS);
    }

    /** Takes every datagram queued for the initiator and returns their chunks, in order. */
    List<Chunk> takeChunksToInitiator() {
        return takeChunks(toInitiator, initiator);
    }

    /** Takes every datagram queued for the responder and returns their chunks, in order. */
    List<Chunk> takeChunksToResponder() {
        return takeChunks(toResponder, responder);
    }

    private static List<Chunk> takeChunks(Deque<byte[]> queue, Session to) {
        List<Chunk> chunks = new ArrayList<>();
        while (!queue.isEmpty()) {
            chunks.addAll(Datagrams.decode(queue.poll(), to.cipher()).packet().chunks());
        }
        return chunks;
    }

    private static int deliver(Deque<byte[]> queue, Session to, InetSocketAddress from, Predicate<byte[]> drop) {
        int n = 0;
        while (!queue.isEmpty()) {
            byte[] d = queue.poll();
            if (drop.test(d)) {
                continue;
            }
            to.receive(Datagrams.decode(d, to.cipher()), from);
            n++;
        }
        return n;
    }

    static final class ManualClock implements Clock {
        long now = 1_000_000;

        @Override
        public long nowMillis() {
            return now;
        }

        void advance(long millis) {
            now += millis;
        }
    }

    /** Accepts every flow (unless told otherwise) and records what the session reports. */
    static final class Recorder implements SessionListener {
        final List<byte[]> messages = new ArrayList<>();
        final List<RecvFlow> flows = new ArrayList<>();
        final List<RuntimeException> failures = new ArrayList<>();
        boolean rejectFlows;
        boolean throwOnFlowOpened;
        /** Throw on the message with this first byte. */
        int throwOnMessage = -1;
        /** Close the session when the message with this first byte arrives. */
        int closeOnMessage = -1;
        int closed;
        int addressChanges;

        @Override
        public boolean onFlowOpened(Session session, RecvFlow flow) {
            flows.add(flow);
            if (throwOnFlowOpened) {
                throw new IllegalStateException("listener fails on flow " + flow.flowId());
            }
            return !rejectFlows;
        }

        @Override
        public void onMessage(Session session, RecvFlow flow, byte[] message) {
            if (message.length > 0 && message[0] == throwOnMessage) {
                throw new IllegalStateException("listener fails on message " + throwOnMessage);
            }
            messages.add(message);
            if (message.length > 0 && message[0] == closeOnMessage) {
                session.close();
            }
        }

        @Override
        public void onListenerFailed(Session session, RuntimeException failure) {
            failures.add(failure);
        }

        @Override
        public void onAddressChanged(Session session) {
            addressChanges++;
        }

        @Override
        public void onClosed(Session session) {
            closed++;
        }
    }
}
