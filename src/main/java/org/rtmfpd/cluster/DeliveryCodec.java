package org.rtmfpd.cluster;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.rtmfpd.rendezvous.GroupId;
import org.rtmfpd.rendezvous.PeerId;
import org.rtmfpd.wire.Limits;
import org.rtmfpd.wire.PeerAddress;

/**
 * Turns a {@link Delivery} into the bytes of one pub/sub message and back.
 *
 * <p>Layout: {@code version(1)=1 | type(1) | peer ID(32) | body}, where the body of
 * <ul>
 *   <li>Forward (type 1) is {@code epd length(1) | epd | address flags(1) | IPv4(4) or IPv6(16) |
 *       port(2) | tag length(1) | tag}, the address as RFC 7016 §2.1.5 writes it (0x80 = IPv6, low two
 *       bits the origin);</li>
 *   <li>Refer (type 2) is {@code group ID(32) | member peer ID(32)};</li>
 *   <li>Evict (type 3) is empty.</li>
 * </ul>
 * An endpoint discriminator is at most {@link #MAX_EPD} bytes, a tag at most {@link Limits#MAX_IHELLO_TAG};
 * a message is at most {@link #MAX_MESSAGE} bytes. Anything else, and trailing bytes, is rejected with
 * an {@link IllegalArgumentException} that says what was wrong.
 */
public final class DeliveryCodec {
    public static final int VERSION = 1;
    /** Longest endpoint discriminator carried (a Flash peer-ID EPD is 34 bytes). */
    public static final int MAX_EPD = 255;
    /** Longest message: a Forward with the longest EPD, an IPv6 address and the longest tag. */
    public static final int MAX_MESSAGE = 2 + 32 + 1 + MAX_EPD + 1 + 16 + 2 + 1 + Limits.MAX_IHELLO_TAG;

    private static final int FORWARD = 1;
    private static final int REFER = 2;
    private static final int EVICT = 3;
    private static final int FLAG_IPV6 = 0x80;
    private static final int ORIGIN_MASK = 0x03;
    private static final int RESERVED = 0x7c;

    private DeliveryCodec() {
    }

    public static byte[] encode(Delivery d) {
        ByteBuffer out = ByteBuffer.allocate(MAX_MESSAGE);
        out.put((byte) VERSION);
        if (d instanceof Delivery.Forward f) {
            if (f.epd().length > MAX_EPD) {
                throw new IllegalArgumentException("endpoint discriminator of " + f.epd().length + " bytes; the limit is " + MAX_EPD);
            }
            if (f.tag().length > Limits.MAX_IHELLO_TAG) {
                throw new IllegalArgumentException("tag of " + f.tag().length + " bytes; the limit is " + Limits.MAX_IHELLO_TAG);
            }
            out.put((byte) FORWARD).put(f.peer().bytes());
            out.put((byte) f.epd().length).put(f.epd());
            byte[] ip = f.initiator().address().getAddress().getAddress();
            out.put((byte) ((ip.length == 16 ? FLAG_IPV6 : 0) | f.initiator().origin().ordinal()));
            out.put(ip).putShort((short) f.initiator().address().getPort());
            out.put((byte) f.tag().length).put(f.tag());
        } else if (d instanceof Delivery.Refer r) {
            out.put((byte) REFER).put(r.peer().bytes()).put(r.group().bytes()).put(r.member().bytes());
        } else if (d instanceof Delivery.Evict e) {
            out.put((byte) EVICT).put(e.peer().bytes());
        } else {
            throw new IllegalArgumentException("unknown delivery " + d);
        }
        byte[] b = new byte[out.position()];
        out.flip().get(b);
        return b;
    }

    public static Delivery decode(byte[] message) {
        if (message == null || message.length < 2 + 32) {
            throw new IllegalArgumentException("delivery of " + (message == null ? 0 : message.length)
                    + " bytes; at least 34 are needed");
        }
        if (message.length > MAX_MESSAGE) {
            throw new IllegalArgumentException("delivery of " + message.length + " bytes; the limit is " + MAX_MESSAGE);
        }
        ByteBuffer in = ByteBuffer.wrap(message);
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw new IllegalArgumentException("delivery version " + version + "; this node reads version " + VERSION);
        }
        int type = in.get() & 0xff;
        try {
            PeerId peer = PeerId.of(bytes(in, 32));
            Delivery d = switch (type) {
                case FORWARD -> {
                    byte[] epd = bytes(in, in.get() & 0xff);
                    int flags = in.get() & 0xff;
                    if ((flags & RESERVED) != 0) {
                        throw new IllegalArgumentException("address flags 0x" + Integer.toHexString(flags) + " set reserved bits");
                    }
                    byte[] ip = bytes(in, (flags & FLAG_IPV6) != 0 ? 16 : 4);
                    int port = in.getShort() & 0xffff;
                    byte[] tag = bytes(in, in.get() & 0xff);
                    if (tag.length > Limits.MAX_IHELLO_TAG) {
                        throw new IllegalArgumentException("tag of " + tag.length + " bytes; the limit is " + Limits.MAX_IHELLO_TAG);
                    }
                    PeerAddress address = new PeerAddress(new InetSocketAddress(inet(ip), port),
                            PeerAddress.Origin.values()[flags & ORIGIN_MASK]);
                    yield new Delivery.Forward(peer, epd, address, tag);
                }
                case REFER -> new Delivery.Refer(peer, GroupId.of(bytes(in, 32)), PeerId.of(bytes(in, 32)));
                case EVICT -> new Delivery.Evict(peer);
                default -> throw new IllegalArgumentException("unknown delivery type " + type);
            };
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the end of a delivery of type " + type);
            }
            return d;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("delivery of type " + type + " cut short at " + message.length + " bytes");
        }
    }

    private static byte[] bytes(ByteBuffer in, int n) {
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static InetAddress inet(byte[] ip) {
        try {
            return ip.length == 16 ? Inet6Address.getByAddress(null, ip, -1) : InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + ip.length + " bytes is always valid", e);
        }
    }
}
