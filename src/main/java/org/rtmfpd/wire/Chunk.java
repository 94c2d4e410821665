package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;

/**
 * Turns one chunk of a packet (RFC 7016 §2.3), {@code type(1) | length(16, big-endian) | payload},
 * into bytes. Each chunk type is a record with a static {@code decode(ByteBuf payload)} that reads
 * the payload only; {@link Chunks} reads the type and length and picks the record.
 */
public sealed interface Chunk
        permits IHello, RHello, Redirect, IIKeying, RIKeying, CookieChange, ForwardedIHello,
        Ping, PingReply, UserData, NextUserData, AckBitmap, AckRanges, BufferProbe, FlowException,
        SessionCloseRequest, SessionCloseAck, Unknown {

    /** Type and length in front of every payload (RFC 7016 §2.3). */
    int HEADER_SIZE = 3;
    /** The largest payload the 16-bit length can describe (RFC 7016 §2.3). */
    int MAX_PAYLOAD = 0xffff;

    /** The chunk type, 0x00..0xfe (0xff starts the padding, RFC 7016 §2.2.4). */
    int type();

    /** Writes the payload only, without type and length. */
    void encodePayload(ByteBuf out);

    /**
     * Writes the whole chunk: type, length and payload.
     *
     * @throws IllegalArgumentException if the payload is longer than {@link #MAX_PAYLOAD}; nothing is
     *     left written then
     */
    default void encode(ByteBuf out) {
        int start = out.writerIndex();
        out.writeByte(type());
        out.writeShort(0);
        encodePayload(out);
        int length = out.writerIndex() - start - HEADER_SIZE;
        if (length > MAX_PAYLOAD) {
            out.writerIndex(start);
            throw new IllegalArgumentException("chunk 0x" + Integer.toHexString(type()) + " payload of "
                    + length + " bytes exceeds " + MAX_PAYLOAD);
        }
        out.setShort(start + 1, length);
    }
}
