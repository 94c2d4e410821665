package org.rtmfpd.flash;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.rtmfpd.wire.ByteBufs;

/**
 * Turns the flow synchronization user control event (RFC 7425 §5.2) into its fields and back:
 * {@code u32 syncId | u32 count}. A receiver holds each of {@code count} flows at a sync message
 * with the same ID until all of them have reached it.
 */
public record FlowSync(long syncId, long count) {
    private static final int DATA_SIZE = 8;

    public FlowSync {
        U32.check(syncId, "sync ID");
        U32.check(count, "flow count");
    }

    public static FlowSync from(UserControlEvent event) {
        ByteBuf data = event.dataOf(UserControlEvent.FLOW_SYNC, DATA_SIZE, "flow sync");
        return new FlowSync(data.readUnsignedInt(), data.readUnsignedInt());
    }

    public UserControlEvent toEvent() {
        ByteBuf data = Unpooled.buffer(DATA_SIZE);
        data.writeInt((int) syncId);
        data.writeInt((int) count);
        return new UserControlEvent(UserControlEvent.FLOW_SYNC, ByteBufs.toArray(data));
    }
}
