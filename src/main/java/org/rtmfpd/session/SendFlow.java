package org.rtmfpd.session;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.rtmfpd.wire.AckRanges;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.UserData;

/**
 * The sending side of one flow (RFC 7016 §3.6.2): turns messages into numbered fragments, keeps them
 * until they are acknowledged, and hands them out again when the session's retransmission timer fires.
 * It keeps no more in flight than the receiver last advertised room for (RFC 7016 §3.6.2.5), and holds
 * a bounded amount, drawn from its session's send queue allowance.
 */
public final class SendFlow {
    /** User-data option: per-flow metadata (RFC 7016 §2.3.11.1.1). */
    public static final int OPTION_METADATA = 0x00;
    /** User-data option: return flow association (RFC 7016 §2.3.11.1.2). */
    public static final int OPTION_RETURN_FLOW = 0x0a;
    /** The most message bytes in one fragment, so that a fragment fits a 1200-byte packet. */
    static final int MAX_FRAGMENT = 1100;
    /**
     * Fragments, unsent or in flight, a flow holds before it refuses more messages. A rendezvous server
     * answers with a few small messages per flow; a peer that never acknowledges them pins no more.
     */
    static final int MAX_QUEUED_FRAGMENTS = 256;
    /** Message bytes, unsent or in flight, a flow holds before it refuses more messages. */
    static final int MAX_QUEUED_BYTES = 256 * 1024;
    /**
     * The receiver's buffer assumed until its first acknowledgement advertises one (RFC 7016 §3.6.2.5
     * leaves it open; rtmfp-cpp's INITIAL_RECV_BUFFER).
     */
    static final long INITIAL_RECEIVER_BUFFER = 64 * 1024;

    private final long flowId;
    /** Metadata and association, sent until the far end acknowledges the flow, then dropped. */
    private OptionList options;
    // Both made when first needed and dropped when they empty: an idle flow holds neither.
    private ArrayDeque<Fragment> unsent;
    private TreeMap<Long, Fragment> inFlight;
    /** The session's allowance for queued message bytes, shared with its other sending flows. */
    private final ByteBudget queue;
    /** Message bytes held, unsent or in flight. */
    private int queuedBytes;
    private int inFlightBytes;
    /** Bytes the receiver last advertised room for (RFC 7016 §2.3.13). */
    private long receiverBuffer = INITIAL_RECEIVER_BUFFER;
    private long nextSequenceNumber = 1;
    private boolean closing;
    private boolean finQueued;
    private boolean failed;

    SendFlow(long flowId, byte[] metadata, long returnAssociation, ByteBudget queue) {
        this.flowId = flowId;
        this.queue = queue;
        Option meta = Option.of(OPTION_METADATA, metadata);
        this.options = returnAssociation >= 0
                ? OptionList.of(meta, Option.ofVlu(OPTION_RETURN_FLOW, returnAssociation))
                : OptionList.of(meta);
    }

    public long flowId() {
        return flowId;
    }

    /**
     * Queues one message; returns false when the flow is closed, was rejected by the far end, or the
     * flow or its session has too much queued.
     */
    public boolean send(byte[] message) {
        if (closing || failed) {
            return false;
        }
        int count = Math.max(1, (message.length + MAX_FRAGMENT - 1) / MAX_FRAGMENT);
        if (queuedFragments() + count > MAX_QUEUED_FRAGMENTS
                || queuedBytes + message.length > MAX_QUEUED_BYTES || !queue.take(message.length)) {
            return false;
        }
        queuedBytes += message.length;
        for (int i = 0; i < count; i++) {
            int from = i * MAX_FRAGMENT;
            int to = Math.min(message.length, from + MAX_FRAGMENT);
            int fra = count == 1 ? UserData.FRA_WHOLE
                    : i == 0 ? UserData.FRA_BEGIN : i == count - 1 ? UserData.FRA_END : UserData.FRA_MIDDLE;
            byte[] data = java.util.Arrays.copyOfRange(message, from, to);
            unsent().add(new Fragment(nextSequenceNumber++, fra, data));
        }
        return true;
    }

    /** Ends the flow: a final empty fragment carries FIN (RFC 7016 §3.6.2.4). */
    public void close() {
        if (!closing) {
            closing = true;
            if (!failed) {
                unsent().add(new Fragment(nextSequenceNumber++, UserData.FRA_WHOLE | UserData.FIN, new byte[0]));
                finQueued = true;
            }
        }
    }

    public boolean isClosing() {
        return closing;
    }

    /** Whether every fragment, FIN included, has been acknowledged (or the far end rejected the flow). */
    public boolean isDone() {
        return failed || (finQueued && unsent == null && inFlight == null);
    }

    /**
     * The far end rejected the flow with a Flow Exception (RFC 7016 §2.3.16), or the session ended: stop
     * sending on it and let go of everything queued.
     */
    void fail() {
        failed = true;
        closing = true;
        unsent = null;
        inFlight = null;
        queue.give(queuedBytes);
        queuedBytes = 0;
        inFlightBytes = 0;
    }

    boolean hasInFlight() {
        return inFlight != null;
    }

    /** Fragments held, unsent or in flight. */
    int queuedFragments() {
        return (unsent == null ? 0 : unsent.size()) + (inFlight == null ? 0 : inFlight.size());
    }

    private ArrayDeque<Fragment> unsent() {
        if (unsent == null) {
            unsent = new ArrayDeque<>(2);
        }
        return unsent;
    }

    /** Lets go of the queues that emptied. */
    private void dropEmpty() {
        if (unsent != null && unsent.isEmpty()) {
            unsent = null;
        }
        if (inFlight != null && inFlight.isEmpty()) {
            inFlight = null;
        }
    }

    /**
     * Whether {@code length} more bytes may go in flight: no more than the receiver advertised room for,
     * except that one fragment may go when nothing is in flight, so that a buffer smaller than a
     * fragment does not stop the flow.
     */
    boolean fitsReceiverBuffer(int length) {
        return receiverBuffer > 0 && (inFlightBytes == 0 || inFlightBytes + length <= receiverBuffer);
    }

    /**
     * Whether data waits on a receiver that advertised no room: the case for a Buffer Probe
     * (RFC 7016 §3.6.2.5).
     */
    boolean waitsForBuffer() {
        return receiverBuffer == 0 && inFlight == null && unsent != null;
    }

    /** Takes the next fragment to send, moving it in flight. */
    Fragment nextUnsent() {
        Fragment f = unsent == null ? null : unsent.poll();
        if (f != null) {
            if (inFlight == null) {
                inFlight = new TreeMap<>();
            }
            inFlight.put(f.sequenceNumber, f);
            inFlightBytes += f.data.length;
            dropEmpty();
        }
        return f;
    }

    Fragment peekUnsent() {
        return unsent == null ? null : unsent.peek();
    }

    /** Puts every fragment in flight back in front of the queue, as a retransmission timeout asks. */
    void requeueInFlight() {
        if (inFlight != null) {
            var it = inFlight.descendingMap().values().iterator();
            while (it.hasNext()) {
                unsent().addFirst(it.next());
                it.remove();
            }
            inFlight = null;
        }
        inFlightBytes = 0;
    }

    /**
     * Applies an acknowledgement and the receiver's buffer advertisement ({@code bufferBlocks} blocks of
     * {@link RecvFlow#BUFFER_BLOCK} bytes, RFC 7016 §2.3.13); returns the number of payload bytes in flight
     * it newly acknowledged. Round-trip times come from the session's timestamp echo (RFC 7016 §3.5.2.2),
     * not from here.
     */
    int acknowledge(long bufferBlocks, long cumulativeAck, Iterable<AckRanges.Range> ranges) {
        receiverBuffer = Math.min(bufferBlocks, Long.MAX_VALUE / RecvFlow.BUFFER_BLOCK) * RecvFlow.BUFFER_BLOCK;
        int bytes = 0;
        if (inFlight != null) {
            Iterator<Map.Entry<Long, Fragment>> it = inFlight.headMap(cumulativeAck, true).entrySet().iterator();
            while (it.hasNext()) {
                bytes += it.next().getValue().data.length;
                it.remove();
            }
            for (AckRanges.Range range : ranges) {
                var covered = inFlight.subMap(range.start(), true, range.end(), true).entrySet().iterator();
                while (covered.hasNext()) {
                    bytes += covered.next().getValue().data.length;
                    covered.remove();
                }
            }
        }
        inFlightBytes -= bytes;
        int released = bytes;
        while (unsent != null && !unsent.isEmpty() && unsent.peek().sequenceNumber <= cumulativeAck) {
            released += unsent.poll().data.length; // requeued by a timeout, acknowledged after all
        }
        dropEmpty();
        queuedBytes -= released;
        queue.give(released);
        options = null;
        return bytes;
    }

    /** The forward sequence number: everything at or below it is acknowledged or given up (RFC 7016 §3.6.2.3). */
    long forwardSequenceNumber() {
        long lowest = Long.MAX_VALUE;
        if (inFlight != null) {
            lowest = inFlight.firstKey();
        }
        Fragment head = peekUnsent();
        if (head != null) {
            lowest = Math.min(lowest, head.sequenceNumber);
        }
        return lowest == Long.MAX_VALUE ? nextSequenceNumber - 1 : lowest - 1;
    }

    /** Options go with the first fragment in every packet until the far end acknowledges the flow. */
    OptionList optionsToSend() {
        return options;
    }

    UserData chunk(Fragment f) {
        OptionList opts = optionsToSend();
        int flags = f.flags | (opts != null ? UserData.OPT : 0);
        long fsn = Math.min(forwardSequenceNumber(), f.sequenceNumber - 1);
        return new UserData(flags, flowId, f.sequenceNumber, f.sequenceNumber - fsn,
                opts != null ? opts : OptionList.EMPTY, f.data);
    }

    /** One numbered piece of a message. */
    static final class Fragment {
        final long sequenceNumber;
        final int flags;
        final byte[] data;

        Fragment(long sequenceNumber, int flags, byte[] data) {
            this.sequenceNumber = sequenceNumber;
            this.flags = flags;
            this.data = data;
        }
    }
}
