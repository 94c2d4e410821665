package org.rtmfpd.flash;

import org.rtmfpd.rendezvous.GroupId;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.Vlu;
import org.rtmfpd.wire.WireException;

/**
 * Turns the raw join message on a NetGroup ('G' 'C') flow into the group it names, and back. Not in
 * RFC 7425; layout from Cumulus and librtmfp: {@code 01 | VLU length | flag | rest}, where the length
 * counts the flag and the rest. Flag 0x15: the rest is the 32-byte group ID (Flash and librtmfp
 * send {@code 01 21 15 <32>}). Flag 0x10: the rest is a groupspec string, turned into the ID by
 * {@link GroupspecDigest}. Other flags throw {@link WireException}; bytes after the length are
 * ignored, as Cumulus ignores them.
 */
public record GroupJoin(GroupId groupId) {
    public static final int TYPE = 0x01;
    public static final int FLAG_GROUP_ID = 0x15;
    public static final int FLAG_GROUPSPEC = 0x10;

    private static final int FLAG_SIZE = 1;

    public static GroupJoin read(ByteBuf message) {
        if (!message.isReadable() || message.readUnsignedByte() != TYPE) {
            throw new WireException("NetGroup message is not a join");
        }
        long length = Vlu.read(message);
        if (length < FLAG_SIZE || length > message.readableBytes()) {
            throw new WireException("NetGroup join length " + length + " does not fit its "
                    + message.readableBytes() + " bytes");
        }
        ByteBuf body = message.readSlice((int) length);
        int flag = body.readUnsignedByte();
        switch (flag) {
            case FLAG_GROUP_ID:
                if (body.readableBytes() != GroupId.LENGTH) {
                    throw new WireException("NetGroup join carries " + body.readableBytes() + " bytes of group ID");
                }
                return new GroupJoin(GroupId.of(ByteBufs.rest(body)));
            case FLAG_GROUPSPEC:
                return new GroupJoin(GroupspecDigest.groupId(ByteBufs.rest(body)));
            default:
                throw new WireException("NetGroup join flag 0x" + Integer.toHexString(flag) + " is not known");
        }
    }

    public static GroupJoin parse(byte[] message) {
        return read(Unpooled.wrappedBuffer(message));
    }

    /** Writes {@code 01 21 15 <32-byte group ID>}. */
    public void write(ByteBuf out) {
        out.writeByte(TYPE);
        Vlu.write(out, FLAG_SIZE + GroupId.LENGTH);
        out.writeByte(FLAG_GROUP_ID);
        out.writeBytes(groupId.bytes());
    }
}
