package org.rtmfpd.flash;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.Vlu;
import org.rtmfpd.wire.WireException;

/**
 * Turns the value of a flow's metadata option (user-data option 0x00, RFC 7016 §2.3.11.1.1) into
 * what the flow is for, and back:
 * <ul>
 * <li>{@link Tc}: an RTMP message flow (RFC 7425 §5.1.1), {@code 'T' 'C' | flags | VLU streamId};
 * flag 0x04 says the stream ID is present and is required, the low bit is the receive intent
 * (0 original order, 1 network order); the other bits are reserved and ignored. Stream 0 is
 * the NetConnection. Bytes after the stream ID are ignored, as rtmfp-cpp ignores them.</li>
 * <li>{@link Gc}: a NetGroup flow, whose value starts with {@code 'G' 'C'}; the rest is opaque and
 * kept as received.</li>
 * <li>{@link Other}: anything else, kept as received.</li>
 * </ul>
 */
public sealed interface FlowMetadata permits FlowMetadata.Tc, FlowMetadata.Gc, FlowMetadata.Other {
    int FLAG_STREAM_ID_PRESENT = 0x04; // RFC 7425 §5.1.1
    int RXI_MASK = 0x01;               // RFC 7425 §5.1.1 receive intent, masked as rtmfp-cpp does
    int RXI_ORIGINAL_ORDER = 0;
    int RXI_NETWORK_ORDER = 1;

    /** The NetConnection's control flow: {@code 54 43 04 00}. */
    Tc NET_CONNECTION = new Tc(0, RXI_ORIGINAL_ORDER);

    /**
     * What the flow is for.
     *
     * @throws WireException when the value starts with {@code 'T' 'C'} but is not valid TC metadata; it
     *     throws nothing else, for any input
     */
    static FlowMetadata parse(byte[] value) {
        if (startsWith(value, 'T', 'C')) {
            return Tc.parse(value);
        }
        if (startsWith(value, 'G', 'C')) {
            return new Gc(value);
        }
        return new Other(value);
    }

    /** The option value. */
    byte[] toBytes();

    private static boolean startsWith(byte[] value, char first, char second) {
        return value.length >= 2 && value[0] == first && value[1] == second;
    }

    /** A TC flow carrying RTMP messages for {@code streamId}. */
    record Tc(long streamId, int rxi) implements FlowMetadata {
        private static final int PREFIX_SIZE = 2;

        public Tc {
            U32.check(streamId, "stream ID");
            if (rxi != RXI_ORIGINAL_ORDER && rxi != RXI_NETWORK_ORDER) {
                throw new IllegalArgumentException("receive intent is 0 or 1, not " + rxi);
            }
        }

        /** A TC flow for {@code streamId} delivered in original order, as Flash opens them. */
        public static Tc of(long streamId) {
            return new Tc(streamId, RXI_ORIGINAL_ORDER);
        }

        private static Tc parse(byte[] value) {
            ByteBuf in = Unpooled.wrappedBuffer(value).skipBytes(PREFIX_SIZE);
            if (!in.isReadable()) {
                throw new WireException("TC metadata has no flags");
            }
            int flags = in.readUnsignedByte();
            if ((flags & FLAG_STREAM_ID_PRESENT) == 0) {
                throw new WireException("TC metadata has no stream ID");
            }
            long streamId = Vlu.read(in);
            if (streamId > U32.MAX) {
                throw new WireException("TC metadata stream ID " + streamId + " does not fit 32 bits");
            }
            return new Tc(streamId, flags & RXI_MASK);
        }

        @Override
        public byte[] toBytes() {
            ByteBuf out = Unpooled.buffer();
            out.writeByte('T').writeByte('C').writeByte(FLAG_STREAM_ID_PRESENT | rxi);
            Vlu.write(out, streamId);
            return ByteBufs.toArray(out);
        }
    }

    /** A NetGroup flow; {@code value} is the whole option value, starting with 'G' 'C'. */
    record Gc(byte[] value) implements FlowMetadata {
        public Gc {
            if (!startsWith(value, 'G', 'C')) {
                throw new IllegalArgumentException("NetGroup metadata starts with 'G' 'C'");
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public byte[] toBytes() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Gc g && Arrays.equals(g.value, value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Gc[" + value.length + " bytes]";
        }
    }

    /** Metadata of a kind the server does not serve; kept as received. */
    record Other(byte[] value) implements FlowMetadata {
        public Other {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public byte[] toBytes() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Other other && Arrays.equals(other.value, value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Other[" + value.length + " bytes]";
        }
    }
}
