package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * Turns one option of an option list (RFC 7016 §2.1.4), {@code VLU length | VLU type | value} where the
 * length counts the type and the value, into a type and a value and back. A length of zero is a marker,
 * not an option.
 */
public record Option(int type, byte[] value) {

    public Option {
        if (type < 0) {
            throw new IllegalArgumentException("option type must not be negative: " + type);
        }
        value = value.clone();
    }

    public static Option of(int type, byte[] value) {
        return new Option(type, value);
    }

    /** An option whose value is one VLU, such as a DH group number. */
    public static Option ofVlu(int type, long value) {
        ByteBuf buf = Unpooled.buffer(Vlu.size(value));
        Vlu.write(buf, value);
        return new Option(type, ByteBufs.toArray(buf));
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value's length without copying it. */
    public int length() {
        return value.length;
    }

    public void write(ByteBuf out) {
        Vlu.write(out, Vlu.size(type) + value.length);
        Vlu.write(out, type);
        out.writeBytes(value);
    }

    public int size() {
        int inner = Vlu.size(type) + value.length;
        return Vlu.size(inner) + inner;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Option other && other.type == type && Arrays.equals(other.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Option[type=0x" + Integer.toHexString(type) + ", " + value.length + " bytes]";
    }
}
