package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns a User Data chunk (RFC 7016 §2.3.11), {@code flags(1) | VLU flowID | VLU sequenceNumber |
 * VLU fsnOffset | [options ending in a marker, if OPT] | data(rest)}, into its fields and back.
 * The options are present exactly when {@link #OPT} is set; without it they are empty.
 */
public record UserData(int flags, long flowId, long sequenceNumber, long fsnOffset, OptionList options,
        byte[] data) implements Chunk {
    public static final int TYPE = 0x10; // RFC 7016 §2.3.11

    /** Options present (RFC 7016 §2.3.11). */
    public static final int OPT = 0x80;
    /** Fragment control bits (RFC 7016 §2.3.11). */
    public static final int FRA = 0x30;
    /** The message is whole in this chunk (RFC 7016 §2.3.11). */
    public static final int FRA_WHOLE = 0x00;
    /** First fragment of a message (RFC 7016 §2.3.11). */
    public static final int FRA_BEGIN = 0x10;
    /** Last fragment of a message (RFC 7016 §2.3.11). */
    public static final int FRA_END = 0x20;
    /** Neither first nor last fragment (RFC 7016 §2.3.11). */
    public static final int FRA_MIDDLE = 0x30;
    /** Abandoned: the message will not be sent (RFC 7016 §2.3.11). */
    public static final int ABN = 0x02;
    /** Final sequence number of the flow (RFC 7016 §2.3.11). */
    public static final int FIN = 0x01;

    /**
     * @throws IllegalArgumentException if {@code flags} is not a byte, a number is negative, the
     *     forward sequence number offset exceeds the sequence number, or options are given without OPT
     */
    public UserData {
        UserDataFlags.check(flags, options);
        if (flowId < 0 || sequenceNumber < 0 || fsnOffset < 0 || fsnOffset > sequenceNumber) {
            throw new IllegalArgumentException("bad flow " + flowId + ", sequence number " + sequenceNumber
                    + " or FSN offset " + fsnOffset);
        }
        data = data.clone();
    }

    public static UserData decode(ByteBuf payload) {
        int flags = ByteBufs.readUnsignedByte(payload, "user data flags");
        long flowId = Vlu.read(payload);
        long sequenceNumber = Vlu.read(payload);
        long fsnOffset = Vlu.read(payload);
        if (fsnOffset > sequenceNumber) {
            throw new WireException("FSN offset " + fsnOffset + " exceeds sequence number " + sequenceNumber);
        }
        OptionList options = UserDataFlags.readOptions(flags, payload);
        return new UserData(flags, flowId, sequenceNumber, fsnOffset, options, ByteBufs.rest(payload));
    }

    /** The forward sequence number: nothing at or below it will be sent again (RFC 7016 §3.6.2.3). */
    public long forwardSequenceNumber() {
        return sequenceNumber - fsnOffset;
    }

    /** {@link #FRA_WHOLE}, {@link #FRA_BEGIN}, {@link #FRA_MIDDLE} or {@link #FRA_END}. */
    public int fragmentation() {
        return flags & FRA;
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        out.writeByte(flags);
        Vlu.write(out, flowId);
        Vlu.write(out, sequenceNumber);
        Vlu.write(out, fsnOffset);
        UserDataFlags.writeOptions(flags, options, out);
        out.writeBytes(data);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserData other && flags == other.flags && flowId == other.flowId
                && sequenceNumber == other.sequenceNumber && fsnOffset == other.fsnOffset
                && options.equals(other.options) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(flags, flowId, sequenceNumber, fsnOffset, options) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "UserData[flags=0x" + Integer.toHexString(flags) + ", flowId=" + flowId + ", sequenceNumber="
                + sequenceNumber + ", fsnOffset=" + fsnOffset + ", options=" + options
                + ", data=" + ByteBufs.hex(data) + "]";
    }
}
