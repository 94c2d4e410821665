package org.rtmfpd.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.wire.AckBitmap;
import org.rtmfpd.wire.AckRanges;
import org.rtmfpd.wire.BufferProbe;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.FlowException;
import org.rtmfpd.wire.Limits;
import org.rtmfpd.wire.ForwardedIHello;
import org.rtmfpd.wire.NextUserData;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.Packet;
import org.rtmfpd.wire.Ping;
import org.rtmfpd.wire.PingReply;
import org.rtmfpd.wire.SessionCloseAck;
import org.rtmfpd.wire.SessionCloseRequest;
import org.rtmfpd.wire.UserData;
import org.rtmfpd.wire.Vlu;
import org.rtmfpd.wire.WireException;

/**
 * One open RTMFP session (RFC 7016 §3.5–§3.6), either end: turns decrypted packets into delivered
 * messages, acknowledgements, ping replies and close handshakes, and queued messages into encrypted
 * datagrams. It does no I/O of its own and reads time only from its {@link Clock}; it is not
 * thread-safe, so each session must be used from one thread at a time. A listener call that throws is
 * contained: the session's state is consistent before each call, the failure goes to
 * {@link SessionListener#onListenerFailed}, and the session carries on (a throwing
 * {@link SessionListener#onFlowOpened} rejects the flow, a throwing {@link SessionListener#onMessage}
 * loses that message).
 */
public final class Session extends ByteBudget {
    /**
     * The largest packet (flags through chunks) this end builds: what is left of the 1200-byte datagram
     * budget after the session ID (4), a session sequence number (at most 5), the checksum (2), padding
     * (at most 15) and the longest HMAC tag (32).
     */
    static final int MAX_PACKET = Limits.MAX_SESSION_PACKET - 4 - 5 - 2 - 15 - 32;
    /** Each thread measures the chunks it packs into packets here (a chunk's size is its encoding's). */
    private static final ThreadLocal<ByteBuf> CHUNK_SCRATCH = ThreadLocal.withInitial(() -> Unpooled.buffer(MAX_PACKET));
    /** Near close: repeat the Close Request this often (RFC 7016 §3.5.5.1). */
    static final long CLOSE_REPEAT_MILLIS = 5_000;
    /** Near close: give up waiting for the Close Acknowledgement after this long (RFC 7016 §3.5.5.1). */
    static final long CLOSE_LIMIT_MILLIS = 90_000;
    /** Far close: linger this long after acknowledging a close (RFC 7016 §3.5.5.2). */
    static final long FAR_CLOSE_LINGER_MILLIS = 19_000;
    /** Stop echoing a timestamp this long after it arrived (RFC 7016 §3.5.2.1). */
    static final long TIMESTAMP_ECHO_LIMIT_MILLIS = 128_000;
    /** Timestamps count ticks of this many milliseconds (RFC 7016 §2.2.4). */
    static final int TIMESTAMP_TICK_MILLIS = 4;
    /**
     * Message bytes, unsent or in flight, all sending flows of a session hold together; past it
     * {@link SendFlow#send} refuses messages. Two flows' worth of {@link SendFlow#MAX_QUEUED_BYTES}.
     */
    static final int MAX_SEND_QUEUE = 2 * SendFlow.MAX_QUEUED_BYTES;
    /** Chunks of control traffic queued before more are dropped. */
    static final int MAX_QUEUED_CONTROL = 256;
    /** Flags, timestamp and timestamp echo in front of the chunks (RFC 7016 §2.2.4). */
    static final int PACKET_HEADER = 5;
    static final int MSS = MAX_PACKET;
    static final int INITIAL_WINDOW = 3 * MSS;
    static final int MAX_WINDOW = 64 * 1024;
    /** First capacity of the sending flow table, the control queue and the acks due. */
    private static final int SMALL_TABLE = 2;
    private static final SendFlow[] NO_SEND_FLOWS = new SendFlow[0];
    /** Bytes of the address-change challenge Ping (RFC 7016 §3.5.4.2). */
    static final int CHALLENGE_LENGTH = 9;

    /**
     * The first sending flow's ID. RFC 7016 leaves flow IDs to the sender; Flash and Cirrus numbered from
     * 2, so Cirrus's NetConnection reply went out on flow 2 and its first NetGroup reply on flow 3, each
     * the same number as the client's own flow. Clients written against Cirrus may count on it.
     */
    static final long FIRST_FLOW_ID = 2;

    /** Where a session is in its life (RFC 7016 §3.5). */
    public enum State { OPEN, NEAR_CLOSE, FAR_CLOSE_LINGER, CLOSED }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int nearId;
    private final int farId;
    private final boolean initiator;
    private final byte[] farFingerprint;
    private final PacketCipher cipher;
    /** Seen session sequence numbers, when the far end sends them (else null). */
    private final SequenceWindow sequenceWindow;
    private final Transmitter transmitter;
    private final Clock clock;
    private final SessionSettings settings;
    private final SessionListener listener;
    private final RttEstimator rtt = new RttEstimator();
    // A session usually has one or two flows each way (Flash: the NetConnection flow, maybe a NetGroup
    // flow): small first tables keep an idle session small, and they grow when needed.
    private final RecvFlowTable recvFlows = new RecvFlowTable();
    /** The sending flows in the order they opened, the first {@code sendFlowCount} of the array. */
    private SendFlow[] sendFlows = NO_SEND_FLOWS;
    private int sendFlowCount;
    /** Control chunks queued for the next packet: made when first needed, dropped when sent. */
    private List<Chunk> control;
    /** Flows to acknowledge in the next packet, each once, in the order they became due. */
    private List<RecvFlow> acksDue;
    /** The persist timer and stall clock, while data is queued or waits for room; else null. */
    private SendTimers sendTimers;
    /**
     * This session's place in its owner's timer wheel, or null when the owner calls {@link #tick} on a
     * schedule of its own. Scheduled for the earliest time {@link #tick} has work; a deadline that moves
     * later (a packet arrived, pushing the keepalive back) is left where it is, and the early tick finds
     * nothing to do and schedules the real one.
     */
    private final TimerWheel.Timer<Session> timer;

    private InetSocketAddress farAddress;
    /** The address-change challenge out (RFC 7016 §3.5.4.2), while there is one; one field, not two. */
    private AddressProbe probe;
    private State state = State.OPEN;
    private long sendSequenceNumber;
    private long nextFlowId = FIRST_FLOW_ID;
    private long lastReceivedAt;
    private long lastKeepaliveAt;
    /** The far end's last timestamp (16 bits), or -1 before the first. */
    private int farTimestamp = -1;
    private long farTimestampAt;
    private int lastEchoSent = -1;
    private int lastEchoSeen = -1;
    private long retransmitAt = -1;
    private long closeStartedAt;
    /** Near close: when to repeat the Close Request; far close: when the linger ends. */
    private long closeTimerAt;
    private int congestionWindow = INITIAL_WINDOW;
    private int bytesInFlight;
    private Object attachment;

    public Session(int nearId, int farId, boolean initiator, InetSocketAddress farAddress, byte[] farFingerprint,
                   PacketCipher cipher, Transmitter transmitter, Clock clock, SessionSettings settings,
                   SessionListener listener) {
        this(nearId, farId, initiator, farAddress, farFingerprint, cipher, transmitter, clock, settings, listener, null);
    }

    /**
     * A session whose timers run from {@code timers}: its owner calls {@link #tick} for each session the
     * wheel hands out (see {@link TimerWheel#expire}), and then only when that session has something to
     * do. A session that is closed is handed out once more, at the next expiry, so that its owner can
     * forget it; {@link #cancelTimer} takes it off the wheel for good. With a null {@code timers} the owner
     * calls {@link #tick} itself, periodically.
     */
    public Session(int nearId, int farId, boolean initiator, InetSocketAddress farAddress, byte[] farFingerprint,
                   PacketCipher cipher, Transmitter transmitter, Clock clock, SessionSettings settings,
                   SessionListener listener, TimerWheel<Session> timers) {
        super(MAX_SEND_QUEUE); // the sending flows' queue allowance, in the session itself: one object less
        this.nearId = nearId;
        this.farId = farId;
        this.initiator = initiator;
        this.farAddress = farAddress;
        this.farFingerprint = farFingerprint.clone();
        this.cipher = cipher;
        this.sequenceWindow = cipher.receivesSequenceNumbers() ? new SequenceWindow() : null;
        this.transmitter = transmitter;
        this.clock = clock;
        this.settings = settings;
        this.listener = listener;
        this.lastReceivedAt = clock.nowMillis();
        this.lastKeepaliveAt = lastReceivedAt;
        this.timer = timers == null ? null : timers.newTimer(this);
        rearm();
    }

    public int nearId() {
        return nearId;
    }

    public int farId() {
        return farId;
    }

    public InetSocketAddress farAddress() {
        return farAddress;
    }

    /** SHA-256 of the far end's certificate: its peer ID, or a server's fingerprint. */
    public byte[] farFingerprint() {
        return farFingerprint.clone();
    }

    /**
     * The far fingerprint's own array, not a copy, for an identity that shares it (a peer ID); no one may
     * change it.
     */
    public byte[] farFingerprintShared() {
        return farFingerprint;
    }

    public boolean isFarFingerprint(byte[] fingerprint) {
        return Arrays.equals(farFingerprint, fingerprint);
    }

    public State state() {
        return state;
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Whether data is in flight with the retransmission timer running (see {@link SessionListener#onRetransmissionTimerStarted}). */
    public boolean hasRetransmissionTimer() {
        return retransmitAt >= 0;
    }

    /** Receiving flows open now. */
    int recvFlowCount() {
        return recvFlows.size();
    }

    public PacketCipher cipher() {
        return cipher;
    }

    public Object attachment() {
        return attachment;
    }

    public void attach(Object value) {
        attachment = value;
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Handles one decrypted datagram from {@code from}. Packets whose mode is not the far end's, or
     * whose session sequence number is old or repeated, are dropped; returns whether it was taken.
     */
    public boolean receive(Datagrams.Decoded decoded, InetSocketAddress from) {
        Packet packet = decoded.packet();
        int expectedMode = initiator ? Packet.MODE_RESPONDER : Packet.MODE_INITIATOR;
        if (state == State.CLOSED || packet.mode() != expectedMode) {
            return false;
        }
        if (sequenceWindow != null && !sequenceWindow.accept(decoded.sequenceNumber())) {
            return false;
        }
        long now = clock.nowMillis();
        lastReceivedAt = now;
        readTimestamps(packet, now);
        if (!from.equals(farAddress)) {
            probeAddress(from);
        }
        processChunks(packet.chunks(), from, now);
        flush();
        rearm();
        return true;
    }

    private void readTimestamps(Packet packet, long now) {
        if (packet.timestamp() != Packet.ABSENT) {
            farTimestamp = packet.timestamp();
            farTimestampAt = now;
        }
        int echo = packet.timestampEcho();
        if (echo != Packet.ABSENT && echo != lastEchoSeen) {
            lastEchoSeen = echo;
            int ticks = (timestamp(now) - echo) & 0xffff;
            if (ticks < 0x8000) {
                rtt.sample((long) ticks * TIMESTAMP_TICK_MILLIS);
            }
        }
    }

    private void processChunks(List<Chunk> chunks, InetSocketAddress from, long now) {
        UserData previous = null;
        for (Chunk chunk : chunks) {
            if (state == State.CLOSED) {
                return;
            }
            if (ignored(chunk)) {
                continue;
            }
            if (chunk instanceof UserData u) {
                previous = u;
                onUserData(u);
            } else if (chunk instanceof NextUserData n) {
                if (previous != null && previous.sequenceNumber() < Long.MAX_VALUE) {
                    previous = n.following(previous);
                    onUserData(previous);
                }
            } else if (chunk instanceof AckRanges a) {
                onAck(a.flowId(), a.bufferBlocksAvailable(), a.cumulativeAck(), a.ranges(), now);
            } else if (chunk instanceof AckBitmap a) {
                onAck(a.flowId(), a.bufferBlocksAvailable(), a.cumulativeAck(), bitmapRanges(a), now);
            } else if (chunk instanceof BufferProbe p) {
                RecvFlow flow = recvFlows.get(p.flowId());
                if (flow != null) {
                    ackDue(flow);
                }
            } else if (chunk instanceof FlowException e) {
                SendFlow flow = sendFlow(e.flowId());
                if (flow != null) {
                    flow.fail();
                }
            } else if (chunk instanceof Ping p) {
                queueControl(new PingReply(p.body()));
            } else if (chunk instanceof PingReply r) {
                onPingReply(r, from);
            } else if (chunk instanceof SessionCloseRequest) {
                onCloseRequest(now);
            } else if (chunk instanceof SessionCloseAck) {
                finish();
            } else if (chunk instanceof ForwardedIHello f) {
                contain(() -> listener.onForwardedIHello(this, f));
            }
            if (!(chunk instanceof UserData) && !(chunk instanceof NextUserData)) {
                previous = null;
            }
        }
    }

    /**
     * Once the session is closing only the close handshake counts: near close waits for the Close
     * Acknowledgement or the far end's own Close Request (RFC 7016 §3.5.5.1), far close answers Close
     * Requests (RFC 7016 §3.5.5.2). No flow opens and no message is delivered after onClosed.
     */
    private boolean ignored(Chunk chunk) {
        return switch (state) {
            case OPEN -> false;
            case NEAR_CLOSE -> !(chunk instanceof SessionCloseRequest) && !(chunk instanceof SessionCloseAck);
            case FAR_CLOSE_LINGER -> !(chunk instanceof SessionCloseRequest);
            case CLOSED -> true;
        };
    }

    private void onUserData(UserData u) {
        RecvFlow flow = recvFlows.get(u.flowId());
        if (flow == null) {
            flow = openRecvFlow(u);
            if (flow == null) {
                return;
            }
        }
        List<byte[]> messages = new ArrayList<>(1);
        flow.receive(u.sequenceNumber(), u.forwardSequenceNumber(), u.flags(), u.data(), messages);
        ackDue(flow);
        deliver(flow, messages);
    }

    private void deliver(RecvFlow flow, List<byte[]> messages) {
        for (byte[] message : messages) {
            if (state != State.OPEN) {
                return; // a listener call closed the session
            }
            contain(() -> listener.onMessage(this, flow, message));
        }
        if (flow.isComplete() && recvFlows.remove(flow)) {
            contain(() -> listener.onFlowFinished(this, flow));
        }
    }

    /** Opens the flow {@code u} starts if it is acceptable and the listener takes it; else rejects it. */
    private RecvFlow openRecvFlow(UserData u) {
        if (recvFlows.wasRejected(u.flowId())) {
            queueControl(new FlowException(u.flowId(), 0));
            return null;
        }
        OptionList options = u.options();
        byte[] metadata = FlowMetadataCache.shared(options.first(SendFlow.OPTION_METADATA).map(Option::value).orElse(null));
        long association = -1;
        var assoc = options.first(SendFlow.OPTION_RETURN_FLOW);
        if (assoc.isPresent()) {
            try {
                association = Vlu.read(Unpooled.wrappedBuffer(assoc.get().value()));
            } catch (WireException e) {
                association = Long.MAX_VALUE;
            }
        }
        boolean associationKnown = association < 0 || sendFlow(association) != null;
        if (metadata == null || !associationKnown || recvFlows.isFull()) {
            reject(u.flowId());
            return null;
        }
        RecvFlow flow = recvFlows.create(u.flowId(), metadata, association);
        if (!accepts(flow)) {
            reject(u.flowId());
            return null;
        }
        recvFlows.add(flow);
        return flow;
    }

    private boolean accepts(RecvFlow flow) {
        try {
            return listener.onFlowOpened(this, flow);
        } catch (RuntimeException e) {
            reportFailure(e);
            return false;
        }
    }

    /** Answers the flow with a Flow Exception (RFC 7016 §2.3.16) and remembers it for a while. */
    private void reject(long flowId) {
        queueControl(new FlowException(flowId, 0));
        recvFlows.rejected(flowId);
    }

    /** Runs a listener call; if it throws, reports the failure and carries on. */
    private void contain(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            reportFailure(e);
        }
    }

    private void reportFailure(RuntimeException failure) {
        try {
            listener.onListenerFailed(this, failure);
        } catch (RuntimeException ignored) {
            // the report itself failed: nothing else to tell
        }
    }

    private void ackDue(RecvFlow flow) {
        if (acksDue == null) {
            acksDue = new ArrayList<>(SMALL_TABLE);
        }
        if (!acksDue.contains(flow)) {
            acksDue.add(flow);
        }
    }

    private static List<AckRanges.Range> bitmapRanges(AckBitmap a) {
        List<AckRanges.Range> ranges = new ArrayList<>();
        byte[] bitmap = a.bitmap();
        for (int i = 0; i < bitmap.length * 8; i++) {
            if ((bitmap[i / 8] & (1 << (i % 8))) != 0) {
                long seq = a.cumulativeAck() + 2 + i;
                ranges.add(new AckRanges.Range(seq, seq));
            }
        }
        return ranges;
    }

    private void onAck(long flowId, long bufferBlocks, long cumulativeAck, List<AckRanges.Range> ranges, long now) {
        SendFlow flow = sendFlow(flowId);
        if (flow == null) {
            return;
        }
        int before = flow.queuedFragments();
        int acked = flow.acknowledge(bufferBlocks, cumulativeAck, ranges);
        if (flow.queuedFragments() < before) {
            if (sendTimers != null) {
                sendTimers.progressed(now);
            }
        }
        if (acked > 0 || !flow.hasInFlight()) {
            bytesInFlight = Math.max(0, bytesInFlight - acked);
            congestionWindow = Math.min(MAX_WINDOW, congestionWindow + Math.min(acked, MSS));
            boolean stopped = retransmitAt < 0;
            retransmitAt = anyInFlight() ? now + rtt.erto() : -1;
            if (stopped && retransmitAt >= 0) {
                contain(() -> listener.onRetransmissionTimerStarted(this));
            }
        }
        if (flow.isDone()) {
            removeDoneSendFlows();
        }
    }

    private void onPingReply(PingReply reply, InetSocketAddress from) {
        if (probe != null && from.equals(probe.address)
                && Arrays.equals(reply.body(), probe.challenge)) {
            InetSocketAddress previous = farAddress;
            farAddress = from;
            probe = null;
            contain(() -> listener.onAddressChanged(this, previous));
        } else {
            contain(() -> listener.onPingReply(this, reply.body()));
        }
    }

    /** A valid packet came from a new address: ask it to prove it receives there (RFC 7016 §3.5.4.2). */
    private void probeAddress(InetSocketAddress from) {
        if (probe != null && from.equals(probe.address)) {
            return;
        }
        byte[] challenge = new byte[CHALLENGE_LENGTH];
        RANDOM.nextBytes(challenge);
        challenge[0] = 'M';
        probe = new AddressProbe(from, challenge);
        transmit(List.of(new Ping(challenge)), from);
    }

    private void onCloseRequest(long now) {
        if (state == State.NEAR_CLOSE) {
            transmit(List.of(new SessionCloseAck()), farAddress);
            finish();
            return;
        }
        queueControl(new SessionCloseAck());
        if (state == State.OPEN) {
            state = State.FAR_CLOSE_LINGER;
            closeTimerAt = now + FAR_CLOSE_LINGER_MILLIS;
            dropFlows();
            contain(() -> listener.onClosed(this));
        }
    }

    // ---------------------------------------------------------------- sending

    /**
     * Opens a sending flow; {@code returnAssociation} is the far end's flow it answers, or -1. Once the
     * session is closing the flow refuses every message.
     */
    public SendFlow openFlow(byte[] metadata, long returnAssociation) {
        SendFlow flow = new SendFlow(nextFlowId++, metadata, returnAssociation, this);
        if (state == State.OPEN) {
            if (sendFlowCount == sendFlows.length) {
                sendFlows = Arrays.copyOf(sendFlows, Math.max(SMALL_TABLE, 2 * sendFlowCount));
            }
            sendFlows[sendFlowCount++] = flow;
        } else {
            flow.fail();
        }
        return flow;
    }

    /** Queues a control chunk (a Forwarded IHello, say) for the next packet. */
    public void sendChunk(Chunk chunk) {
        queueControl(chunk);
    }

    public void ping(byte[] body) {
        queueControl(new Ping(body));
    }

    private void queueControl(Chunk chunk) {
        if (control == null) {
            control = new ArrayList<>(SMALL_TABLE);
        }
        if (control.size() < MAX_QUEUED_CONTROL) {
            control.add(chunk);
        }
    }

    /** Starts the near close (RFC 7016 §3.5.5.1). */
    public void close() {
        if (state != State.OPEN) {
            return;
        }
        long now = clock.nowMillis();
        state = State.NEAR_CLOSE;
        closeStartedAt = now;
        closeTimerAt = now + CLOSE_REPEAT_MILLIS;
        dropFlows();
        control = null;
        acksDue = null;
        contain(() -> listener.onClosed(this));
        transmit(List.of(new SessionCloseRequest()), farAddress);
        rearm();
    }

    /** Ends the session at once, without telling the far end. */
    public void abort() {
        finish();
    }

    private void finish() {
        if (state == State.OPEN) {
            dropFlows();
            contain(() -> listener.onClosed(this));
        }
        state = State.CLOSED;
        rearm();
    }

    private void dropFlows() {
        recvFlows.clear();
        for (int i = 0; i < sendFlowCount; i++) {
            sendFlows[i].fail();
        }
        sendFlows = NO_SEND_FLOWS;
        sendFlowCount = 0;
        bytesInFlight = 0;
        retransmitAt = -1;
    }

    /** Sends everything queued: control chunks, acknowledgements, then flow data within the window. */
    public void flush() {
        if (state == State.CLOSED || state == State.NEAR_CLOSE) {
            return;
        }
        long now = clock.nowMillis();
        List<Chunk> chunks = control != null ? control : new ArrayList<>();
        control = null;
        if (acksDue != null) {
            for (RecvFlow flow : acksDue) {
                chunks.add(flow.ack());
            }
            acksDue = null;
        }
        if (state == State.OPEN) {
            collectData(chunks, now);
        }
        sendPackets(chunks);
        rearm();
    }

    private void collectData(List<Chunk> chunks, long now) {
        boolean sent = false;
        for (int i = 0; i < sendFlowCount; i++) {
            SendFlow flow = sendFlows[i];
            SendFlow.Fragment next;
            while ((next = flow.peekUnsent()) != null && bytesInFlight + next.data.length <= congestionWindow
                    && flow.fitsReceiverBuffer(next.data.length)) {
                SendFlow.Fragment f = flow.nextUnsent();
                chunks.add(flow.chunk(f));
                bytesInFlight += f.data.length;
                sent = true;
            }
        }
        if (sent && retransmitAt < 0) {
            retransmitAt = now + rtt.erto();
            contain(() -> listener.onRetransmissionTimerStarted(this));
        }
        removeDoneSendFlows();
        watchSending(now);
    }

    /** Keeps the stall clock and the persist timer in step with what the sending flows hold. */
    private void watchSending(long now) {
        boolean queued = false;
        boolean waiting = false;
        for (int i = 0; i < sendFlowCount; i++) {
            SendFlow flow = sendFlows[i];
            queued |= flow.queuedFragments() > 0;
            waiting |= flow.waitsForBuffer();
        }
        if (!queued && !waiting) {
            sendTimers = null; // all it would hold is "nothing outstanding, no probe due", as a new one does
            return;
        }
        if (sendTimers == null) {
            sendTimers = new SendTimers();
        }
        sendTimers.outstanding(queued, now);
        sendTimers.waiting(waiting, now, rtt.erto());
    }

    /** Sends a Buffer Probe (RFC 7016 §2.3.15) on each flow whose receiver advertised no room. */
    private void probeBuffers() {
        for (int i = 0; i < sendFlowCount; i++) {
            SendFlow flow = sendFlows[i];
            if (flow.waitsForBuffer()) {
                queueControl(new BufferProbe(flow.flowId()));
            }
        }
        flush();
    }

    private void sendPackets(List<Chunk> chunks) {
        if (chunks.size() == 1) {
            transmit(chunks, farAddress); // one chunk goes alone whatever its size: nothing to measure
            return;
        }
        List<Chunk> packet = new ArrayList<>();
        int size = 0;
        ByteBuf scratch = CHUNK_SCRATCH.get();
        for (Chunk chunk : chunks) {
            scratch.clear();
            chunk.encode(scratch);
            int chunkSize = scratch.readableBytes();
            if (!packet.isEmpty() && size + chunkSize > MAX_PACKET - PACKET_HEADER) {
                transmit(packet, farAddress);
                packet = new ArrayList<>();
                size = 0;
            }
            packet.add(chunk);
            size += chunkSize;
        }
        if (scratch.capacity() > 4 * MAX_PACKET) {
            CHUNK_SCRATCH.remove(); // an unusually large chunk: its buffer is not kept
        }
        if (!packet.isEmpty()) {
            transmit(packet, farAddress);
        }
    }

    private void transmit(List<Chunk> chunks, InetSocketAddress to) {
        long now = clock.nowMillis();
        int flags = (initiator ? Packet.MODE_INITIATOR : Packet.MODE_RESPONDER) | Packet.TS;
        int echo = Packet.ABSENT;
        if (farTimestamp >= 0 && now - farTimestampAt < TIMESTAMP_ECHO_LIMIT_MILLIS) {
            int value = (int) ((farTimestamp + (now - farTimestampAt) / TIMESTAMP_TICK_MILLIS) & 0xffff);
            if (value != lastEchoSent) {
                echo = value;
                lastEchoSent = value;
                flags |= Packet.TSE;
            }
        }
        Packet packet = new Packet(flags, timestamp(now), echo, chunks);
        long sequence = cipher.sendsSequenceNumbers() ? sendSequenceNumber++ : 0;
        transmitter.send(to, Datagrams.encode(farId, cipher, sequence, packet));
    }

    private static int timestamp(long now) {
        return (int) ((now / TIMESTAMP_TICK_MILLIS) & 0xffff);
    }

    private boolean anyInFlight() {
        for (int i = 0; i < sendFlowCount; i++) {
            SendFlow flow = sendFlows[i];
            if (flow.hasInFlight()) {
                return true;
            }
        }
        return false;
    }

    /** The open sending flow {@code flowId}, or null. */
    private SendFlow sendFlow(long flowId) {
        for (int i = 0; i < sendFlowCount; i++) {
            if (sendFlows[i].flowId() == flowId) {
                return sendFlows[i];
            }
        }
        return null;
    }

    /** Forgets the sending flows that are done, keeping the others in order. */
    private void removeDoneSendFlows() {
        int kept = 0;
        for (int i = 0; i < sendFlowCount; i++) {
            if (!sendFlows[i].isDone()) {
                sendFlows[kept++] = sendFlows[i];
            }
        }
        Arrays.fill(sendFlows, kept, sendFlowCount, null);
        sendFlowCount = kept;
    }

    // ---------------------------------------------------------------- timers

    /**
     * Runs the session's timers: retransmission, keepalive, idle timeout, close repetition and linger.
     * Call it periodically (a few times a second is plenty), or, for a session made with a timer wheel,
     * when the wheel hands it out.
     */
    public void tick() {
        long now = clock.nowMillis();
        tickState(now);
        if (state == State.CLOSED) {
            cancelTimer(); // handed out once closed: the owner forgets it now
        } else {
            rearm();
        }
    }

    private void tickState(long now) {
        switch (state) {
            case OPEN -> tickOpen(now);
            case NEAR_CLOSE -> {
                if (now - closeStartedAt >= CLOSE_LIMIT_MILLIS) {
                    state = State.CLOSED;
                } else if (now >= closeTimerAt) {
                    closeTimerAt = now + CLOSE_REPEAT_MILLIS;
                    transmit(List.of(new SessionCloseRequest()), farAddress);
                }
            }
            case FAR_CLOSE_LINGER -> {
                if (now >= closeTimerAt) {
                    state = State.CLOSED;
                }
            }
            case CLOSED -> {
            }
        }
    }

    private void tickOpen(long now) {
        if (now - lastReceivedAt >= settings.idleTimeoutMillis()) {
            abort();
            return;
        }
        watchSending(now);
        if (sendTimers != null && sendTimers.stalled(now)) {
            close();
            return;
        }
        if (retransmitAt >= 0 && now >= retransmitAt) {
            for (int i = 0; i < sendFlowCount; i++) {
                sendFlows[i].requeueInFlight();
            }
            bytesInFlight = 0;
            congestionWindow = 2 * MSS;
            rtt.backOff();
            retransmitAt = -1;
            flush();
        }
        if (sendTimers != null && sendTimers.probeDue(now, rtt.erto())) {
            probeBuffers();
        }
        long silent = now - lastReceivedAt;
        long gap = silent >= settings.keepaliveMillis() + settings.probeIntervalMillis()
                ? settings.probeIntervalMillis() : settings.keepaliveMillis();
        if (silent >= settings.keepaliveMillis() && now - lastKeepaliveAt >= gap) {
            lastKeepaliveAt = now;
            ping(new byte[0]);
            flush();
        }
    }

    /** No deadline: the session is closed and its owner has forgotten it, or should. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    /**
     * The earliest time at which {@link #tick} has something to do (a timer of RFC 7016 §3.5 or §3.6
     * falls due), or {@link #NO_DEADLINE} once the session is closed. Never later than the real
     * deadline; {@link #tick} before it changes nothing.
     */
    long nextDeadline() {
        return switch (state) {
            case OPEN -> openDeadline();
            case NEAR_CLOSE -> Math.min(closeTimerAt, closeStartedAt + CLOSE_LIMIT_MILLIS);
            case FAR_CLOSE_LINGER -> closeTimerAt;
            case CLOSED -> NO_DEADLINE;
        };
    }

    private long openDeadline() {
        long at = Math.min(lastReceivedAt + settings.idleTimeoutMillis(), keepaliveDeadline());
        if (retransmitAt >= 0) {
            at = Math.min(at, retransmitAt);
        }
        return sendTimers == null ? at : Math.min(at, sendTimers.nextDeadline());
    }

    /**
     * When {@link #tickOpen} next sends a keepalive Ping if nothing arrives meanwhile: once silent for
     * the keepalive period, and {@code gap} after the last Ping, where the gap is the keepalive period
     * until the silence reaches keepalive + probe interval and the probe interval after that.
     */
    private long keepaliveDeadline() {
        long keepalive = settings.keepaliveMillis();
        long probe = settings.probeIntervalMillis();
        // With the long gap: valid while the silence is still short of keepalive + probe, or if the
        // short gap has passed too.
        long longGap = Math.max(lastReceivedAt + keepalive, lastKeepaliveAt + keepalive);
        // With the short gap: always valid, the silence having reached keepalive + probe.
        long shortGap = Math.max(lastReceivedAt + keepalive + probe, lastKeepaliveAt + probe);
        boolean longGapValid = longGap - lastReceivedAt < keepalive + probe || longGap - lastKeepaliveAt >= probe;
        return longGapValid ? Math.min(longGap, shortGap) : shortGap;
    }

    /** Keeps this session's place in the timer wheel no later than its next deadline. */
    private void rearm() {
        if (timer == null) {
            return;
        }
        long at = nextDeadline();
        if (at == NO_DEADLINE) {
            // Handed out once more, so that the owner sees it closed and forgets it.
            at = clock.nowMillis();
        }
        if (!timer.isScheduled() || at < timer.deadline()) {
            timer.schedule(at);
        }
    }

    /** Takes this session off its timer wheel for good: its owner has forgotten it. */
    public void cancelTimer() {
        if (timer != null) {
            timer.cancel();
        }
    }

    /** An address a valid packet came from, and the challenge Ping sent there. */
    private record AddressProbe(InetSocketAddress address, byte[] challenge) {
    }
}
