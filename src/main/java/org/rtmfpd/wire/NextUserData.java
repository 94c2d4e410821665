package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns a Next User Data chunk (RFC 7016 §2.3.12), {@code flags(1) | [options ending in a marker, if
 * OPT] | data(rest)}, into its fields and back. It continues the User Data or Next User Data chunk just
 * before it in the same packet: same flow, the next sequence number, the same forward sequence number.
 * {@link Chunks#decode} returns it as it stands; the session layer resolves it with
 * {@link #following(UserData)} and drops it when nothing precedes it.
 */
public record NextUserData(int flags, OptionList options, byte[] data) implements Chunk {
    public static final int TYPE = 0x11; // RFC 7016 §2.3.12

    /** @throws IllegalArgumentException as {@link UserData}'s flags and options check */
    public NextUserData {
        UserDataFlags.check(flags, options);
        data = data.clone();
    }

    public static NextUserData decode(ByteBuf payload) {
        int flags = ByteBufs.readUnsignedByte(payload, "next user data flags");
        OptionList options = UserDataFlags.readOptions(flags, payload);
        return new NextUserData(flags, options, ByteBufs.rest(payload));
    }

    /**
     * The User Data this chunk stands for when {@code previous} (itself possibly resolved from a Next
     * User Data) came just before it in the same packet.
     *
     * @throws WireException if the sequence number would pass 2^63 - 1
     */
    public UserData following(UserData previous) {
        if (previous.sequenceNumber() == Long.MAX_VALUE) {
            throw new WireException("sequence number overflows after " + previous.sequenceNumber());
        }
        return new UserData(flags, previous.flowId(), previous.sequenceNumber() + 1,
                previous.fsnOffset() + 1, options, data);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        out.writeByte(flags);
        UserDataFlags.writeOptions(flags, options, out);
        out.writeBytes(data);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NextUserData other && flags == other.flags && options.equals(other.options)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(flags, options) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NextUserData[flags=0x" + Integer.toHexString(flags) + ", options=" + options
                + ", data=" + ByteBufs.hex(data) + "]";
    }
}
