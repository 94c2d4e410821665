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
 */
public final class SendFlow {
    /** User-data option: per-flow metadata (RFC 7016 §2.3.11.1.1). */
    public static final int OPTION_METADATA = 0x00;
    /** User-data option: return flow association (RFC 7016 §2.3.11.1.2). */
    public static final int OPTION_RETURN_FLOW = 0x0a;
    /** The most message bytes in one fragment, so that a fragment fits a 1200-byte packet. */
    static final int MAX_FRAGMENT = 1100;
    /** Fragments a flow keeps unsent before it refuses more messages. */
    static final int MAX_QUEUED_FRAGMENTS = 4096;

    private final long flowId;
    /** Metadata and association, sent until the far end acknowledges the flow, then dropped. */
    private OptionList options;
    private final ArrayDeque<Fragment> unsent = new ArrayDeque<>(2);
    private final TreeMap<Long, Fragment> inFlight = new TreeMap<>();
    private long nextSequenceNumber = 1;
    private boolean closing;
    private boolean finQueued;
    private boolean failed;

    SendFlow(long flowId, byte[] metadata, long returnAssociation) {
        this.flowId = flowId;
        Option meta = Option.of(OPTION_METADATA, metadata);
        this.options = returnAssociation >= 0
                ? OptionList.of(meta, Option.ofVlu(OPTION_RETURN_FLOW, returnAssociation))
                : OptionList.of(meta);
    }

    public long flowId() {
        return flowId;
    }

    /**
     * Queues one message; returns false when the flow is closed, was rejected by the far end, or has
     * too much queued.
     */
    public boolean send(byte[] message) {
        if (closing || failed) {
            return false;
        }
        int count = Math.max(1, (message.length + MAX_FRAGMENT - 1) / MAX_FRAGMENT);
        if (unsent.size() + count > MAX_QUEUED_FRAGMENTS) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            int from = i * MAX_FRAGMENT;
            int to = Math.min(message.length, from + MAX_FRAGMENT);
            int fra = count == 1 ? UserData.FRA_WHOLE
                    : i == 0 ? UserData.FRA_BEGIN : i == count - 1 ? UserData.FRA_END : UserData.FRA_MIDDLE;
            byte[] data = java.util.Arrays.copyOfRange(message, from, to);
            unsent.add(new Fragment(nextSequenceNumber++, fra, data));
        }
        return true;
    }

    /** Ends the flow: a final empty fragment carries FIN (RFC 7016 §3.6.2.4). */
    public void close() {
        if (!closing) {
            closing = true;
            if (!failed) {
                unsent.add(new Fragment(nextSequenceNumber++, UserData.FRA_WHOLE | UserData.FIN, new byte[0]));
                finQueued = true;
            }
        }
    }

    public boolean isClosing() {
        return closing;
    }

    /** Whether every fragment, FIN included, has been acknowledged (or the far end rejected the flow). */
    public boolean isDone() {
        return failed || (finQueued && unsent.isEmpty() && inFlight.isEmpty());
    }

    /** The far end rejected the flow with a Flow Exception (RFC 7016 §2.3.16): stop sending on it. */
    void fail() {
        failed = true;
        closing = true;
        unsent.clear();
        inFlight.clear();
    }

    boolean hasInFlight() {
        return !inFlight.isEmpty();
    }

    /** Takes the next fragment to send, moving it in flight. */
    Fragment nextUnsent() {
        Fragment f = unsent.poll();
        if (f != null) {
            inFlight.put(f.sequenceNumber, f);
        }
        return f;
    }

    Fragment peekUnsent() {
        return unsent.peek();
    }

    /** Puts every fragment in flight back in front of the queue, as a retransmission timeout asks. */
    void requeueInFlight() {
        var it = inFlight.descendingMap().values().iterator();
        while (it.hasNext()) {
            unsent.addFirst(it.next());
            it.remove();
        }
    }

    /**
     * Applies an acknowledgement; returns the number of payload bytes it newly acknowledged. Round-trip
     * times come from the session's timestamp echo (RFC 7016 §3.5.2.2), not from here.
     */
    int acknowledge(long cumulativeAck, Iterable<AckRanges.Range> ranges) {
        int bytes = 0;
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
        unsent.removeIf(f -> f.sequenceNumber <= cumulativeAck);
        options = null;
        return bytes;
    }

    /** The forward sequence number: everything at or below it is acknowledged or given up (RFC 7016 §3.6.2.3). */
    long forwardSequenceNumber() {
        long lowest = Long.MAX_VALUE;
        if (!inFlight.isEmpty()) {
            lowest = inFlight.firstKey();
        }
        Fragment head = unsent.peek();
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
