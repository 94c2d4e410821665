package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Turns a decrypted packet (RFC 7016 §2.2.4), {@code flags(1) | [timestamp(16) if TS] |
 * [timestampEcho(16) if TSE] | chunk* | padding}, into its header fields and {@link Chunk}s and back.
 * A missing timestamp or echo is {@link #ABSENT}. Timestamps count 4 ms ticks, modulo 2^16.
 * Decoding refuses mode 0, which no sender may use; every other rule about modes is the caller's.
 */
public record Packet(int flags, int timestamp, int timestampEcho, List<Chunk> chunks) {
    /** Time critical: this packet carries time-critical user data (RFC 7016 §2.2.4). */
    public static final int TC = 0x80;
    /** Time critical reverse: the sender lately received time-critical data (RFC 7016 §2.2.4). */
    public static final int TCR = 0x40;
    /** A timestamp follows the flags (RFC 7016 §2.2.4). */
    public static final int TS = 0x08;
    /** A timestamp echo follows (RFC 7016 §2.2.4). */
    public static final int TSE = 0x04;
    /** Mode bits (RFC 7016 §2.2.4). */
    public static final int MOD = 0x03;
    /** Sent by the session's initiator (RFC 7016 §2.2.4). */
    public static final int MODE_INITIATOR = 1;
    /** Sent by the session's responder (RFC 7016 §2.2.4). */
    public static final int MODE_RESPONDER = 2;
    /** A startup packet: handshake chunks under the default key (RFC 7016 §2.2.4). */
    public static final int MODE_STARTUP = 3;
    /** Value of {@link #timestamp} or {@link #timestampEcho} when the packet does not carry it. */
    public static final int ABSENT = -1;
    /** Milliseconds per timestamp tick (RFC 7016 §2.2.4). */
    public static final int TIMESTAMP_TICK_MILLIS = 4;

    private static final int MAX_FLAGS = 0xff;
    private static final int MAX_TIMESTAMP = 0xffff;

    /**
     * @throws IllegalArgumentException if {@code flags} is not a byte, its mode is 0, or a timestamp
     *     is present without its flag (or the reverse) or is not 16 bits
     */
    public Packet {
        if (flags < 0 || flags > MAX_FLAGS || (flags & MOD) == 0) {
            throw new IllegalArgumentException("bad packet flags 0x" + Integer.toHexString(flags));
        }
        checkTimestamp("timestamp", flags & TS, timestamp);
        checkTimestamp("timestamp echo", flags & TSE, timestampEcho);
        chunks = List.copyOf(chunks);
    }

    /** Reads the whole packet, consuming {@code in} to its end. */
    public static Packet decode(ByteBuf in) {
        int flags = ByteBufs.readUnsignedByte(in, "packet flags");
        if ((flags & MOD) == 0) {
            throw new WireException("packet mode 0 is invalid");
        }
        int timestamp = (flags & TS) != 0 ? ByteBufs.readUnsignedShort(in, "timestamp") : ABSENT;
        int timestampEcho = (flags & TSE) != 0 ? ByteBufs.readUnsignedShort(in, "timestamp echo") : ABSENT;
        return new Packet(flags, timestamp, timestampEcho, Chunks.decode(in));
    }

    /** Writes the header and the chunks, without padding. */
    public void encode(ByteBuf out) {
        out.writeByte(flags);
        if (timestamp != ABSENT) {
            out.writeShort(timestamp);
        }
        if (timestampEcho != ABSENT) {
            out.writeShort(timestampEcho);
        }
        Chunks.encode(chunks, out);
    }

    /** {@link #MODE_INITIATOR}, {@link #MODE_RESPONDER} or {@link #MODE_STARTUP}. */
    public int mode() {
        return flags & MOD;
    }

    private static void checkTimestamp(String what, int flag, int value) {
        boolean valid = flag != 0 ? value >= 0 && value <= MAX_TIMESTAMP : value == ABSENT;
        if (!valid) {
            throw new IllegalArgumentException(what + " " + value + " does not match the flags");
        }
    }
}
