package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns the chunk area of a packet (RFC 7016 §2.2.4, §2.3) into a list of {@link Chunk}s and back.
 *
 * <p>Decoding reads chunks while at least {@link Chunk#HEADER_SIZE} bytes remain, and stops at the
 * padding byte {@link #PADDING} or at a length that runs past the end; whatever follows is skipped.
 * Types without a record become {@link Unknown}. A chunk whose payload is malformed throws
 * {@link WireException}, and the caller drops the whole packet. {@link NextUserData} comes back as it
 * stands: the session layer resolves it against the chunk before it ({@link NextUserData#following}).
 */
public final class Chunks {
    /** Type byte that starts the padding after the last chunk (RFC 7016 §2.2.4). */
    public static final int PADDING = 0xff;

    private static final Map<Integer, Function<ByteBuf, Chunk>> DECODERS = Map.ofEntries(
            Map.entry(IHello.TYPE, IHello::decode),
            Map.entry(RHello.TYPE, RHello::decode),
            Map.entry(Redirect.TYPE, Redirect::decode),
            Map.entry(IIKeying.TYPE, IIKeying::decode),
            Map.entry(RIKeying.TYPE, RIKeying::decode),
            Map.entry(CookieChange.TYPE, CookieChange::decode),
            Map.entry(ForwardedIHello.TYPE, ForwardedIHello::decode),
            Map.entry(Ping.TYPE, Ping::decode),
            Map.entry(PingReply.TYPE, PingReply::decode),
            Map.entry(UserData.TYPE, UserData::decode),
            Map.entry(NextUserData.TYPE, NextUserData::decode),
            Map.entry(AckBitmap.TYPE, AckBitmap::decode),
            Map.entry(AckRanges.TYPE, AckRanges::decode),
            Map.entry(BufferProbe.TYPE, BufferProbe::decode),
            Map.entry(FlowException.TYPE, FlowException::decode),
            Map.entry(SessionCloseRequest.TYPE, SessionCloseRequest::decode),
            Map.entry(SessionCloseAck.TYPE, SessionCloseAck::decode));

    private Chunks() {
    }

    /** Reads every chunk from {@code packetBody}, consuming it all, padding included. */
    public static List<Chunk> decode(ByteBuf packetBody) {
        List<Chunk> chunks = new ArrayList<>();
        while (packetBody.readableBytes() >= Chunk.HEADER_SIZE) {
            int type = packetBody.readUnsignedByte();
            if (type == PADDING) {
                break;
            }
            int length = packetBody.readUnsignedShort();
            if (length > packetBody.readableBytes()) {
                break;
            }
            chunks.add(decodePayload(type, packetBody.readSlice(length)));
        }
        packetBody.skipBytes(packetBody.readableBytes());
        return chunks;
    }

    /** Reads the payload of one chunk of {@code type}; the payload must be the whole readable slice. */
    static Chunk decodePayload(int type, ByteBuf payload) {
        Function<ByteBuf, Chunk> decoder = DECODERS.get(type);
        return decoder != null ? decoder.apply(payload) : Unknown.decode(type, payload);
    }

    /** Writes each chunk, type, length and payload, in order. */
    public static void encode(List<? extends Chunk> chunks, ByteBuf out) {
        for (Chunk chunk : chunks) {
            chunk.encode(out);
        }
    }

    /** Whether {@code type} has a record of its own rather than {@link Unknown}. */
    static boolean isModelled(int type) {
        return DECODERS.containsKey(type);
    }
}
