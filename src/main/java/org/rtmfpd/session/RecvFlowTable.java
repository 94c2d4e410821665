package org.rtmfpd.session;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * A session's receiving flows (RFC 7016 §3.6.3): those open, the allowances they share for what they
 * hold, and the IDs of those recently rejected. Each flow gives back what it held when it leaves.
 */
final class RecvFlowTable {
    /** Receiving flows one session may hold open. */
    static final int MAX_RECV_FLOWS = 64;
    /**
     * Rejected flow IDs a session remembers, so that their retransmitted fragments get the Flow Exception
     * again (RFC 7016 §3.6.3.1) without asking the listener again; they do not count as open flows.
     */
    static final int MAX_REJECTED_FLOWS = 16;
    /**
     * Bytes of out-of-order fragments, overhead included, all receiving flows of a session hold together;
     * past it every flow advertises no room (RFC 7016 §3.6.3.5). Four flows' worth of
     * {@link RecvFlow#BUFFER_LIMIT}, where MAX_RECV_FLOWS of them would allow 4 MiB.
     */
    static final int MAX_RECV_BUFFER = 256 * 1024;
    /**
     * Bytes of partial messages all receiving flows of a session hold together; a message that would take
     * more is dropped, as one longer than {@link RecvFlow#MAX_MESSAGE} is. Two of the longest messages.
     */
    static final int MAX_REASSEMBLY = 2 * RecvFlow.MAX_MESSAGE;
    /** First capacity of the tables: a session usually has one or two receiving flows. */
    private static final int SMALL_TABLE = 2;

    private static final RecvFlow[] NONE = new RecvFlow[0];
    /**
     * The open flows, the first {@code count} of the array: a session has one or two, so a scan beats a
     * hash table, and costs a few bytes where a map cost a hundred.
     */
    private RecvFlow[] open = NONE;
    private int count;
    // The allowances the flows share, as counters here rather than two ByteBudget objects: 40 bytes less
    // a session.
    private final int bufferLimit;
    private final int reassemblyLimit;
    private int buffered;
    private int reassembling;
    /** The last {@link #MAX_REJECTED_FLOWS} rejected flow IDs, oldest first; made at the first rejection. */
    private LinkedHashSet<Long> rejected;

    RecvFlowTable() {
        this(MAX_RECV_BUFFER, MAX_REASSEMBLY);
    }

    /** A table with other allowances than {@link #MAX_RECV_BUFFER} and {@link #MAX_REASSEMBLY} (tests). */
    RecvFlowTable(int bufferLimit, int reassemblyLimit) {
        this.bufferLimit = bufferLimit;
        this.reassemblyLimit = reassemblyLimit;
    }

    /** Takes {@code bytes} of the held-fragment allowance if that stays within it; returns whether it did. */
    boolean takeBuffer(int bytes) {
        if (bytes > bufferLimit - buffered) {
            return false;
        }
        buffered += bytes;
        return true;
    }

    void giveBuffer(int bytes) {
        buffered -= bytes;
    }

    /** What is left of the held-fragment allowance. */
    int bufferRoom() {
        return bufferLimit - buffered;
    }

    int bufferUsed() {
        return buffered;
    }

    /** Takes {@code bytes} of the partial-message allowance if that stays within it; returns whether it did. */
    boolean takeReassembly(int bytes) {
        if (bytes > reassemblyLimit - reassembling) {
            return false;
        }
        reassembling += bytes;
        return true;
    }

    void giveReassembly(int bytes) {
        reassembling -= bytes;
    }

    int reassemblyUsed() {
        return reassembling;
    }

    /** The open flow {@code flowId}, or null. */
    RecvFlow get(long flowId) {
        for (int i = 0; i < count; i++) {
            if (open[i].flowId() == flowId) {
                return open[i];
            }
        }
        return null;
    }

    int size() {
        return count;
    }

    boolean isFull() {
        return count >= MAX_RECV_FLOWS;
    }

    boolean wasRejected(long flowId) {
        return rejected != null && rejected.contains(flowId);
    }

    /** A new flow drawing on this table's allowances, not yet open. */
    RecvFlow create(long flowId, byte[] metadata, long returnAssociation) {
        return new RecvFlow(flowId, metadata, returnAssociation, this);
    }

    /** Opens {@code flow}, whose ID must not be open already. */
    void add(RecvFlow flow) {
        if (count == open.length) {
            open = Arrays.copyOf(open, Math.max(SMALL_TABLE, 2 * count));
        }
        open[count++] = flow;
    }

    /** Remembers that {@code flowId} was rejected, forgetting the oldest past {@link #MAX_REJECTED_FLOWS}. */
    void rejected(long flowId) {
        if (rejected == null) {
            rejected = new LinkedHashSet<>(SMALL_TABLE);
        }
        rejected.add(flowId);
        if (rejected.size() > MAX_REJECTED_FLOWS) {
            Iterator<Long> oldest = rejected.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Closes {@code flow} if it is open here; returns whether it was. */
    boolean remove(RecvFlow flow) {
        for (int i = 0; i < count; i++) {
            if (open[i] == flow) {
                System.arraycopy(open, i + 1, open, i, count - i - 1);
                open[--count] = null;
                flow.release();
                return true;
            }
        }
        return false;
    }

    void clear() {
        for (int i = 0; i < count; i++) {
            open[i].release();
        }
        open = NONE;
        count = 0;
    }
}
