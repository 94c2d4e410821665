package org.rtmfpd.session;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rtmfpd.wire.AckRanges;
import org.rtmfpd.wire.UserData;

/**
 * The receiving side of one flow (RFC 7016 §3.6.3): turns user-data fragments, in any order, into
 * whole messages delivered in sequence, and into the acknowledgements that describe what arrived.
 * Fragments that cannot be delivered yet are held within bounds of count, bytes and sequence numbers;
 * the fragment that is due next is always taken, so that a full buffer never blocks the flow.
 */
public final class RecvFlow {
    /**
     * Bytes of out-of-order fragments, overhead included, a flow holds before it advertises no room
     * (RFC 7016 §3.6.3.5).
     */
    static final int BUFFER_LIMIT = 64 * 1024;
    /** Acknowledgement buffer advertisements count blocks of this size (RFC 7016 §2.3.13). */
    static final int BUFFER_BLOCK = 1024;
    /** Ranges beyond this many are left out of an ack (truncation is allowed, RFC 7016 §2.3.14). */
    static final int MAX_ACK_RANGES = 16;
    /** The longest message this end reassembles; longer ones are dropped. */
    static final int MAX_MESSAGE = 128 * 1024;
    /**
     * What a held fragment costs beyond its data (its map entry, boxed key, record and array header come
     * to about that on a 64-bit JVM), so that empty fragments are not free.
     */
    static final int FRAGMENT_OVERHEAD = 64;
    /** Out-of-order fragments a flow holds at most, however small: bounds each ack's and delivery's work. */
    static final int MAX_PENDING_FRAGMENTS = 256;
    /**
     * How far past the cumulative ack a sequence number may be (RFC 7016 §3.6.3.5): the buffer cannot hold
     * more fragments than this, so a sender within the advertised window never goes further.
     */
    static final int MAX_SEQUENCE_AHEAD = BUFFER_LIMIT / FRAGMENT_OVERHEAD;

    private final long flowId;
    private final byte[] metadata;
    private final long returnAssociation;
    /** Fragments held until the gaps before them fill: made when first needed, dropped when empty. */
    private TreeMap<Long, Fragment> pending;
    /** The session's flow table, whose allowances for held fragments and partial messages this flow shares. */
    private final RecvFlowTable table;
    /** The message being reassembled from fragments, while there is one. */
    private ByteArrayOutputStream partial;
    private boolean assembling;
    private long cumulativeAck;
    /** What the held fragments are charged, overhead included. */
    private int bufferedBytes;
    private boolean finished;

    RecvFlow(long flowId, byte[] metadata, long returnAssociation, RecvFlowTable table) {
        this.flowId = flowId;
        this.metadata = metadata;
        this.returnAssociation = returnAssociation;
        this.table = table;
    }

    /** Fragments held until the gaps before them fill. */
    int pendingFragments() {
        return pending == null ? 0 : pending.size();
    }

    public long flowId() {
        return flowId;
    }

    /** The flow's metadata option (user-data option 0x00). */
    public byte[] metadata() {
        return metadata.clone();
    }

    /** The near end's sending flow this flow answers (option 0x0a), or -1. */
    public long returnAssociation() {
        return returnAssociation;
    }

    public boolean isFinished() {
        return finished;
    }

    /** Lets go of everything held, giving it back to the session's budgets. */
    void release() {
        pending = null;
        table.giveBuffer(bufferedBytes);
        bufferedBytes = 0;
        resetPartial();
    }

    /** Whether the whole flow, up to its final fragment, has arrived and been delivered. */
    public boolean isComplete() {
        return finished && pending == null;
    }

    /**
     * Takes one fragment; returns whether it was new (a duplicate or old fragment calls for an
     * immediate ack, RFC 7016 §3.6.3.4). Whole messages that became deliverable go to {@code out}.
     */
    boolean receive(long sequenceNumber, long forwardSequenceNumber, int flags, byte[] data, List<byte[]> out) {
        if (pending == null && sequenceNumber == cumulativeAck + 1 && forwardSequenceNumber <= cumulativeAck) {
            cumulativeAck = sequenceNumber; // in order with nothing held: no map needed
            accept(new Fragment(flags, data, 0), out);
            return true;
        }
        boolean fresh = sequenceNumber > cumulativeAck && (pending == null || !pending.containsKey(sequenceNumber))
                && hold(sequenceNumber, flags, data, Math.max(cumulativeAck, forwardSequenceNumber));
        if (forwardSequenceNumber > cumulativeAck) {
            skipTo(forwardSequenceNumber, out);
        }
        deliver(out);
        if (pending != null && pending.isEmpty()) {
            pending = null;
        }
        return fresh;
    }

    /**
     * Keeps a new fragment until it can be delivered; {@code base} is where delivery will stand once the
     * forward sequence number is applied. A fragment due at once costs nothing, as it leaves before this
     * call returns; any other is charged, and refused past the flow's or the session's bounds.
     */
    private boolean hold(long sequenceNumber, int flags, byte[] data, long base) {
        if (pending == null) {
            pending = new TreeMap<>();
        }
        if (sequenceNumber <= base + 1) {
            pending.put(sequenceNumber, new Fragment(flags, data, 0));
            return true;
        }
        int charge = data.length + FRAGMENT_OVERHEAD;
        if (sequenceNumber - base > MAX_SEQUENCE_AHEAD || pending.size() >= MAX_PENDING_FRAGMENTS
                || bufferedBytes + charge > BUFFER_LIMIT || !table.takeBuffer(charge)) {
            return false;
        }
        pending.put(sequenceNumber, new Fragment(flags, data, charge));
        bufferedBytes += charge;
        return true;
    }

    private void letGo(Fragment f) {
        bufferedBytes -= f.charge;
        table.giveBuffer(f.charge);
    }

    /**
     * The sender will not send anything up to {@code forwardSequenceNumber} again (RFC 7016 §3.6.2.3):
     * deliver what arrived of it, and drop partial messages across the gaps.
     */
    private void skipTo(long forwardSequenceNumber, List<byte[]> out) {
        long expected = cumulativeAck + 1;
        var head = pending == null ? java.util.Collections.<Map.Entry<Long, Fragment>>emptyIterator()
                : pending.headMap(forwardSequenceNumber, true).entrySet().iterator();
        while (head.hasNext()) {
            Map.Entry<Long, Fragment> e = head.next();
            head.remove();
            letGo(e.getValue());
            if (e.getKey() != expected) {
                resetPartial();
            }
            accept(e.getValue(), out);
            expected = e.getKey() + 1;
        }
        if (expected <= forwardSequenceNumber) {
            resetPartial();
        }
        cumulativeAck = forwardSequenceNumber;
    }

    private void resetPartial() {
        if (partial != null) {
            table.giveReassembly(partial.size());
            partial = null; // a long message's buffer is not kept for the next one
        }
        assembling = false;
    }

    private void deliver(List<byte[]> out) {
        Map.Entry<Long, Fragment> next;
        while (pending != null && (next = pending.firstEntry()) != null && next.getKey() == cumulativeAck + 1) {
            pending.pollFirstEntry();
            cumulativeAck++;
            letGo(next.getValue());
            accept(next.getValue(), out);
        }
    }

    private void accept(Fragment f, List<byte[]> out) {
        if ((f.flags & UserData.FIN) != 0) {
            finished = true;
        }
        if ((f.flags & UserData.ABN) != 0) {
            resetPartial();
            return;
        }
        switch (f.flags & UserData.FRA) {
            case UserData.FRA_WHOLE -> {
                resetPartial();
                emit(f.data, out);
            }
            case UserData.FRA_BEGIN -> {
                resetPartial();
                if (partial == null) {
                    partial = new ByteArrayOutputStream();
                }
                assembling = true;
                append(f.data);
            }
            case UserData.FRA_MIDDLE -> append(f.data);
            default -> {
                append(f.data);
                if (assembling) {
                    emit(partial.toByteArray(), out);
                }
                resetPartial();
            }
        }
    }

    /** Adds to the partial message, or drops it when it grows past {@link #MAX_MESSAGE} or the session's allowance. */
    private void append(byte[] data) {
        if (assembling && partial.size() + data.length <= MAX_MESSAGE && table.takeReassembly(data.length)) {
            partial.writeBytes(data);
        } else {
            resetPartial();
        }
    }

    private void emit(byte[] message, List<byte[]> out) {
        if (out != null) {
            out.add(message);
        }
    }

    /** The acknowledgement of everything received so far (RFC 7016 §2.3.14). */
    AckRanges ack() {
        List<AckRanges.Range> ranges = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (long seq : pending == null ? List.<Long>of() : pending.keySet()) {
            if (start >= 0 && seq == end + 1) {
                end = seq;
                continue;
            }
            if (start >= 0) {
                ranges.add(new AckRanges.Range(start, end));
                if (ranges.size() == MAX_ACK_RANGES) {
                    break;
                }
            }
            start = seq;
            end = seq;
        }
        if (start >= 0 && ranges.size() < MAX_ACK_RANGES) {
            ranges.add(new AckRanges.Range(start, end));
        }
        int room = Math.min(BUFFER_LIMIT - bufferedBytes, table.bufferRoom());
        long blocks = Math.max(0, room) / BUFFER_BLOCK;
        return new AckRanges(flowId, blocks, cumulativeAck, ranges);
    }

    /** A fragment held for delivery, and what it was charged. */
    private record Fragment(int flags, byte[] data, int charge) {
    }
}
