package org.rtmfpd.flash;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.WireException;

/**
 * Turns one RTMFP user-data message on a TC flow into an RTMP message and back (RFC 7425 §5.1):
 * {@code type(1) | timestamp(u32, ms) | body}. The RTMFP message boundary gives the body's length;
 * the stream ID comes from the flow's metadata, not from the message.
 */
public record TcMessage(int type, long timestamp, byte[] body) {
    // Message types (RFC 7425 §5.1; RTMP chunk-stream control types 1, 2, 3, 5 and 6 are not used)
    public static final int USER_CONTROL = 0x04;
    public static final int AUDIO = 0x08;
    public static final int VIDEO = 0x09;
    public static final int DATA_AMF3 = 0x0f;
    public static final int SO_AMF3 = 0x10;
    public static final int COMMAND_AMF3 = 0x11;  // body starts with a format byte (RFC 7425 §5.3.3 note)
    public static final int DATA_AMF0 = 0x12;
    public static final int SO_AMF0 = 0x13;
    public static final int COMMAND_AMF0 = 0x14;

    /** type(1) + timestamp(4). */
    public static final int HEADER_SIZE = 5;

    public TcMessage {
        if (type < 0 || type > 0xff) {
            throw new IllegalArgumentException("message type must fit one byte: " + type);
        }
        U32.check(timestamp, "timestamp");
        body = body.clone();
    }

    /** Reads a whole message: the buffer's readable bytes are exactly one RTMFP message. */
    public static TcMessage read(ByteBuf in) {
        if (in.readableBytes() < HEADER_SIZE) {
            throw new WireException("TC message of " + in.readableBytes() + " bytes is shorter than its header");
        }
        int type = in.readUnsignedByte();
        long timestamp = in.readUnsignedInt();
        return new TcMessage(type, timestamp, ByteBufs.rest(in));
    }

    public static TcMessage parse(byte[] message) {
        return read(Unpooled.wrappedBuffer(message));
    }

    public void write(ByteBuf out) {
        out.writeByte(type);
        out.writeInt((int) timestamp);
        out.writeBytes(body);
    }

    public byte[] toBytes() {
        ByteBuf buf = Unpooled.buffer(HEADER_SIZE + body.length);
        write(buf);
        return ByteBufs.toArray(buf);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body as a read-only buffer, without copying. */
    public ByteBuf bodyBuffer() {
        return Unpooled.wrappedBuffer(body).asReadOnly();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcMessage m && m.type == type && m.timestamp == timestamp && Arrays.equals(m.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type + Long.hashCode(timestamp)) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "TcMessage[type=0x" + Integer.toHexString(type) + ", timestamp=" + timestamp
                + ", " + body.length + " body bytes]";
    }
}
