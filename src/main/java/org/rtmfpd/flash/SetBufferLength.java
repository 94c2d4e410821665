package org.rtmfpd.flash;

import io.netty.buffer.ByteBuf;

/**
 * Turns a client's SetBufferLength user control event into its fields: {@code u32 streamId |
 * u32 bufferMs}. Cirrus answered it, for a stream above 0, with {@link UserControlEvent#streamBegin}.
 */
public record SetBufferLength(long streamId, long bufferMs) {
    private static final int DATA_SIZE = 8;

    public static SetBufferLength from(UserControlEvent event) {
        ByteBuf data = event.dataOf(UserControlEvent.SET_BUFFER_LENGTH, DATA_SIZE, "SetBufferLength");
        return new SetBufferLength(data.readUnsignedInt(), data.readUnsignedInt());
    }
}
