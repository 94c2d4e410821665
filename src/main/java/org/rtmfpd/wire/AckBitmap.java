package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns a Data Acknowledgement Bitmap chunk (RFC 7016 §2.3.13), {@code VLU flowID |
 * VLU bufferBlocksAvailable | VLU cumulativeAck | bitmap(rest)}, into its fields and back. Bit 0 (the
 * least significant) of the first bitmap byte stands for {@code cumulativeAck + 2}, counting upward.
 */
public record AckBitmap(long flowId, long bufferBlocksAvailable, long cumulativeAck, byte[] bitmap)
        implements Chunk {
    public static final int TYPE = 0x50; // RFC 7016 §2.3.13

    /** The sequence number bit 0 of the first bitmap byte stands for, after the cumulative ack. */
    private static final int FIRST_BIT_OFFSET = 2;

    public AckBitmap {
        if (flowId < 0 || bufferBlocksAvailable < 0 || cumulativeAck < 0) {
            throw new IllegalArgumentException("flow ID, buffer and cumulative ack must not be negative");
        }
        bitmap = bitmap.clone();
    }

    public static AckBitmap decode(ByteBuf payload) {
        long flowId = Vlu.read(payload);
        long bufferBlocksAvailable = Vlu.read(payload);
        long cumulativeAck = Vlu.read(payload);
        return new AckBitmap(flowId, bufferBlocksAvailable, cumulativeAck, ByteBufs.rest(payload));
    }

    /** Whether this ack says {@code sequenceNumber} arrived: at or below the cumulative ack, or its bit set. */
    public boolean acknowledges(long sequenceNumber) {
        if (sequenceNumber <= cumulativeAck) {
            return true;
        }
        long bit = sequenceNumber - cumulativeAck - FIRST_BIT_OFFSET;
        if (bit < 0 || bit >= (long) bitmap.length * Byte.SIZE) {
            return false;
        }
        return (bitmap[(int) (bit / Byte.SIZE)] & (1 << (bit % Byte.SIZE))) != 0;
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
        out.writeBytes(bitmap);
    }

    @Override
    public byte[] bitmap() {
        return bitmap.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AckBitmap other && flowId == other.flowId
                && bufferBlocksAvailable == other.bufferBlocksAvailable && cumulativeAck == other.cumulativeAck
                && Arrays.equals(bitmap, other.bitmap);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(flowId, bufferBlocksAvailable, cumulativeAck) + Arrays.hashCode(bitmap);
    }

    @Override
    public String toString() {
        return "AckBitmap[flowId=" + flowId + ", bufferBlocksAvailable=" + bufferBlocksAvailable
                + ", cumulativeAck=" + cumulativeAck + ", bitmap=" + ByteBufs.hex(bitmap) + "]";
    }
}
