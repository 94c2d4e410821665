package org.rtmfpd.flash;

import org.rtmfpd.rendezvous.PeerId;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.WireException;

/**
 * Turns one known member of a NetGroup into the raw message the server sends on its 'G' 'C' flow,
 * and back: {@code 0b | 32-byte peer ID} (Cumulus; not in RFC 7425). The client then asks the
 * server to introduce it to that peer.
 */
public record GroupMember(PeerId peerId) {
    public static final int TYPE = 0x0b;
    public static final int SIZE = 1 + PeerId.LENGTH;

    public static GroupMember read(ByteBuf message) {
        if (!message.isReadable() || message.readUnsignedByte() != TYPE) {
            throw new WireException("NetGroup message is not a member entry");
        }
        return new GroupMember(PeerId.of(ByteBufs.read(message, PeerId.LENGTH, "peer ID")));
    }

    public void write(ByteBuf out) {
        out.writeByte(TYPE);
        out.writeBytes(peerId.bytes());
    }

    public byte[] toBytes() {
        ByteBuf out = Unpooled.buffer(SIZE);
        write(out);
        return ByteBufs.toArray(out);
    }
}
