package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Data Acknowledgement Ranges chunk (RFC 7016 §2.3.14), {@code VLU flowID |
 * VLU bufferBlocksAvailable | VLU cumulativeAck | (VLU holesMinusOne | VLU receivedMinusOne)*}, into
 * absolute ranges of received sequence numbers and back. Each range starts {@code holesMinusOne + 2}
 * after the end of the one before (the cumulative ack for the first) and spans
 * {@code receivedMinusOne + 1} sequence numbers. The RFC allows a sender to truncate the list, so an
 * incomplete pair at the end is ignored, as the reference implementation ignores it.
 */
public record AckRanges(long flowId, long bufferBlocksAvailable, long cumulativeAck, List<Range> ranges)
        implements Chunk {
    public static final int TYPE = 0x51; // RFC 7016 §2.3.14

    /** The smallest distance from the end of a range (or the cumulative ack) to the next start. */
    private static final long MIN_GAP = 2;
    private static final int VLU_CONTINUES = 0x80;

    /** Sequence numbers {@code start..end}, both included, that have arrived. */
    public record Range(long start, long end) {
        public Range {
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("bad range " + start + ".." + end);
            }
        }
    }

    /**
     * @throws IllegalArgumentException if a number is negative, or the ranges are not ascending with at
     *     least one missing sequence number before each (the encoding cannot express anything else)
     */
    public AckRanges {
        if (flowId < 0 || bufferBlocksAvailable < 0 || cumulativeAck < 0) {
            throw new IllegalArgumentException("flow ID, buffer and cumulative ack must not be negative");
        }
        ranges = List.copyOf(ranges);
        long previousEnd = cumulativeAck;
        for (Range range : ranges) {
            if (range.start() - previousEnd < MIN_GAP) {
                throw new IllegalArgumentException("range " + range + " does not leave a hole after " + previousEnd);
            }
            previousEnd = range.end();
        }
    }

    public static AckRanges decode(ByteBuf payload) {
        long flowId = Vlu.read(payload);
        long bufferBlocksAvailable = Vlu.read(payload);
        long cumulativeAck = Vlu.read(payload);
        int pairs = completeVlus(payload) / 2;
        List<Range> ranges = new ArrayList<>(pairs);
        long previousEnd = cumulativeAck;
        for (int i = 0; i < pairs; i++) {
            long start = add(previousEnd, add(Vlu.read(payload), MIN_GAP));
            long end = add(start, Vlu.read(payload));
            ranges.add(new Range(start, end));
            previousEnd = end;
        }
        payload.skipBytes(payload.readableBytes());
        return new AckRanges(flowId, bufferBlocksAvailable, cumulativeAck, ranges);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        Vlu.write(out, flowId);
        Vlu.write(out, bufferBlocksAvailable);
        Vlu.write(out, cumulativeAck);
        long previousEnd = cumulativeAck;
        for (Range range : ranges) {
            Vlu.write(out, range.start() - previousEnd - MIN_GAP);
            Vlu.write(out, range.end() - range.start());
            previousEnd = range.end();
        }
    }

    /** Counts the VLUs that end before the readable bytes do: every VLU ends at a byte without 0x80. */
    private static int completeVlus(ByteBuf in) {
        int count = 0;
        for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
            if ((in.getByte(i) & VLU_CONTINUES) == 0) {
                count++;
            }
        }
        return count;
    }

    private static long add(long a, long b) {
        if (a > Long.MAX_VALUE - b) {
            throw new WireException("ack range passes sequence number 2^63 - 1");
        }
        return a + b;
    }
}
