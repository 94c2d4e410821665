package org.rtmfpd.flash;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.WireException;

/**
 * Turns the body of a User Control message into an event and back (RFC 7425 §5.1; RTMP User
 * Control): {@code eventType(u16) | data}. The typed events are {@link KeepaliveTimers},
 * {@link FlowSync}, {@link SetBufferLength} and {@link #streamBegin}.
 */
public record UserControlEvent(int eventType, byte[] data) {
    public static final int STREAM_BEGIN = 0x00;       // RTMP; data = u32 stream ID
    public static final int SET_BUFFER_LENGTH = 0x03;  // RTMP; data = u32 stream ID | u32 ms
    public static final int FLOW_SYNC = 0x22;          // RFC 7425 §5.2
    public static final int SET_KEEPALIVE_TIMERS = 0x29; // RFC 7425 §5.3.4

    private static final int EVENT_TYPE_SIZE = 2;

    public UserControlEvent {
        if (eventType < 0 || eventType > 0xffff) {
            throw new IllegalArgumentException("event type must fit 16 bits: " + eventType);
        }
        data = data.clone();
    }

    /** Reads the event in a USER_CONTROL message. */
    public static UserControlEvent from(TcMessage message) {
        if (message.type() != TcMessage.USER_CONTROL) {
            throw new WireException("TC message type 0x" + Integer.toHexString(message.type())
                    + " is not user control");
        }
        return read(message.bodyBuffer());
    }

    public static UserControlEvent read(ByteBuf body) {
        if (body.readableBytes() < EVENT_TYPE_SIZE) {
            throw new WireException("user control message has no event type");
        }
        return new UserControlEvent(body.readUnsignedShort(), ByteBufs.rest(body));
    }

    /** StreamBegin for {@code streamId}, as Cirrus answers SetBufferLength. */
    public static UserControlEvent streamBegin(long streamId) {
        ByteBuf data = Unpooled.buffer(4);
        data.writeInt((int) U32.check(streamId, "stream ID"));
        return new UserControlEvent(STREAM_BEGIN, ByteBufs.toArray(data));
    }

    /** This event as a USER_CONTROL message with timestamp 0. */
    public TcMessage toMessage() {
        ByteBuf body = Unpooled.buffer(EVENT_TYPE_SIZE + data.length);
        body.writeShort(eventType);
        body.writeBytes(data);
        return new TcMessage(TcMessage.USER_CONTROL, 0, ByteBufs.toArray(body));
    }

    /** The event data as a read-only buffer, after checking the event type. */
    ByteBuf dataOf(int expectedType, int minimumLength, String what) {
        if (eventType != expectedType) {
            throw new WireException("user control event 0x" + Integer.toHexString(eventType) + " is not " + what);
        }
        if (data.length < minimumLength) {
            throw new WireException(what + " needs " + minimumLength + " bytes of data, not " + data.length);
        }
        return Unpooled.wrappedBuffer(data).asReadOnly();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserControlEvent e && e.eventType == eventType && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * eventType + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "UserControlEvent[type=0x" + Integer.toHexString(eventType) + ", " + data.length + " data bytes]";
    }
}
