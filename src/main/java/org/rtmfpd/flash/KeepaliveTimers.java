package org.rtmfpd.flash;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.rtmfpd.wire.ByteBufs;

/**
 * Turns the Set Keepalive Timers user control event (RFC 7425 §5.3.4) into its two periods and
 * back: {@code u32 serverKeepaliveMs | u32 peerKeepaliveMs}. The client pings the server after the
 * server period of silence and its peers after the peer period. Both are raised to at least
 * {@link #MINIMUM_MS}, whether built here or read from the wire, as rtmfp-cpp does citing §5.3.4.
 */
public record KeepaliveTimers(long serverMs, long peerMs) {
    /** §5.3.4: periods below five seconds are taken as five seconds. */
    public static final long MINIMUM_MS = 5000;

    private static final int DATA_SIZE = 8;

    public KeepaliveTimers {
        serverMs = Math.max(MINIMUM_MS, U32.check(serverMs, "server keepalive"));
        peerMs = Math.max(MINIMUM_MS, U32.check(peerMs, "peer keepalive"));
    }

    public static KeepaliveTimers from(UserControlEvent event) {
        ByteBuf data = event.dataOf(UserControlEvent.SET_KEEPALIVE_TIMERS, DATA_SIZE, "Set Keepalive Timers");
        return new KeepaliveTimers(data.readUnsignedInt(), data.readUnsignedInt());
    }

    public UserControlEvent toEvent() {
        ByteBuf data = Unpooled.buffer(DATA_SIZE);
        data.writeInt((int) serverMs);
        data.writeInt((int) peerMs);
        return new UserControlEvent(UserControlEvent.SET_KEEPALIVE_TIMERS, ByteBufs.toArray(data));
    }
}
