package org.rtmfpd.session;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;

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

    private final Map<Long, RecvFlow> open = new HashMap<>(SMALL_TABLE);
    private final ByteBudget buffers = new ByteBudget(MAX_RECV_BUFFER);
    private final ByteBudget reassembly = new ByteBudget(MAX_REASSEMBLY);
    /** The last {@link #MAX_REJECTED_FLOWS} rejected flow IDs, oldest first; made at the first rejection. */
    private LinkedHashSet<Long> rejected;

    /** The open flow {@code flowId}, or null. */
    RecvFlow get(long flowId) {
        return open.get(flowId);
    }

    int size() {
        return open.size();
    }

    boolean isFull() {
        return open.size() >= MAX_RECV_FLOWS;
    }

    boolean wasRejected(long flowId) {
        return rejected != null && rejected.contains(flowId);
    }

    /** A new flow drawing on this table's allowances, not yet open. */
    RecvFlow create(long flowId, byte[] metadata, long returnAssociation) {
        return new RecvFlow(flowId, metadata, returnAssociation, buffers, reassembly);
    }

    void add(RecvFlow flow) {
        open.put(flow.flowId(), flow);
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
        if (open.remove(flow.flowId(), flow)) {
            flow.release();
            return true;
        }
        return false;
    }

    void clear() {
        open.values().forEach(RecvFlow::release);
        open.clear();
    }
}
