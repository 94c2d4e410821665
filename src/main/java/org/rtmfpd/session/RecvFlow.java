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
 */
public final class RecvFlow {
    /** Bytes of out-of-order fragments a flow buffers before it advertises no room (RFC 7016 §3.6.3.5). */
    static final int BUFFER_LIMIT = 64 * 1024;
    /** Acknowledgement buffer advertisements count blocks of this size (RFC 7016 §2.3.13). */
    static final int BUFFER_BLOCK = 1024;
    /** Ranges beyond this many are left out of an ack (truncation is allowed, RFC 7016 §2.3.14). */
    static final int MAX_ACK_RANGES = 16;
    /** The longest message this end reassembles; longer ones are dropped. */
    static final int MAX_MESSAGE = 128 * 1024;

    private final long flowId;
    private final byte[] metadata;
    private final long returnAssociation;
    private final TreeMap<Long, Fragment> pending = new TreeMap<>();
    /** The message being reassembled from fragments; made at the first fragmented message. */
    private ByteArrayOutputStream partial;
    private boolean assembling;
    private long cumulativeAck;
    private int bufferedBytes;
    private boolean finished;
    private boolean rejected;

    RecvFlow(long flowId, byte[] metadata, long returnAssociation) {
        this.flowId = flowId;
        this.metadata = metadata;
        this.returnAssociation = returnAssociation;
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

    boolean isRejected() {
        return rejected;
    }

    void reject() {
        rejected = true;
        pending.clear();
        bufferedBytes = 0;
        resetPartial();
    }

    /** Whether the whole flow, up to its final fragment, has arrived and been delivered. */
    public boolean isComplete() {
        return finished && pending.isEmpty();
    }

    /**
     * Takes one fragment; returns whether it was new (a duplicate or old fragment calls for an
     * immediate ack, RFC 7016 §3.6.3.4). Whole messages that became deliverable go to {@code out}.
     */
    boolean receive(long sequenceNumber, long forwardSequenceNumber, int flags, byte[] data, List<byte[]> out) {
        boolean fresh = sequenceNumber > cumulativeAck && !pending.containsKey(sequenceNumber);
        if (fresh && !rejected && bufferedBytes + data.length <= BUFFER_LIMIT) {
            pending.put(sequenceNumber, new Fragment(flags, data));
            bufferedBytes += data.length;
        } else if (fresh) {
            fresh = false;
        }
        if (forwardSequenceNumber > cumulativeAck) {
            skipTo(forwardSequenceNumber, out);
        }
        deliver(out);
        return fresh;
    }

    /**
     * The sender will not send anything up to {@code forwardSequenceNumber} again (RFC 7016 §3.6.2.3):
     * deliver what arrived of it, and drop partial messages across the gaps.
     */
    private void skipTo(long forwardSequenceNumber, List<byte[]> out) {
        long expected = cumulativeAck + 1;
        var head = pending.headMap(forwardSequenceNumber, true).entrySet().iterator();
        while (head.hasNext()) {
            Map.Entry<Long, Fragment> e = head.next();
            head.remove();
            bufferedBytes -= e.getValue().data.length;
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
            partial.reset();
        }
        assembling = false;
    }

    private void deliver(List<byte[]> out) {
        Map.Entry<Long, Fragment> next;
        while ((next = pending.firstEntry()) != null && next.getKey() == cumulativeAck + 1) {
            pending.pollFirstEntry();
            cumulativeAck++;
            bufferedBytes -= next.getValue().data.length;
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
                if (partial == null) {
                    partial = new ByteArrayOutputStream();
                }
                partial.reset();
                partial.writeBytes(f.data);
                assembling = true;
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

    private void append(byte[] data) {
        if (assembling && partial.size() + data.length <= MAX_MESSAGE) {
            partial.writeBytes(data);
        } else {
            resetPartial();
        }
    }

    private void emit(byte[] message, List<byte[]> out) {
        if (out != null && !rejected) {
            out.add(message);
        }
    }

    /** The acknowledgement of everything received so far (RFC 7016 §2.3.14). */
    AckRanges ack() {
        List<AckRanges.Range> ranges = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (long seq : pending.isEmpty() ? List.<Long>of() : pending.keySet()) {
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
        long blocks = rejected ? 0 : Math.max(0, BUFFER_LIMIT - bufferedBytes) / BUFFER_BLOCK;
        return new AckRanges(flowId, blocks, cumulativeAck, ranges);
    }

    private record Fragment(int flags, byte[] data) {
    }
}
