package org.rtmfpd.cluster;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rtmfpd.rendezvous.GroupId;
import org.rtmfpd.rendezvous.PeerId;
import org.rtmfpd.rendezvous.PeerRegistry;
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
 *   <li>Evict (type 3) is empty;</li>
 *   <li>Ask (type 4) is {@code initiator peer ID(32) | node length(1) | node | ask(8) | epd length(1) | epd |
 *       address | reported count(1) | addresses | tag length(1) | tag}, each address as in Forward (origin 0);</li>
 *   <li>Answer (type 5) is {@code target peer ID(32) | node length(1) | node | ask(8) | verdict(1)}
 *       ({@link Delivery.Verdict}'s order);</li>
 *   <li>Pair (type 6) is {@code partner peer ID(32) | node length(1) | node | 1 if paired, 0 if released(1)}.</li>
 * </ul>
 * An endpoint discriminator is at most {@link #MAX_EPD} bytes, a tag at most {@link Limits#MAX_IHELLO_TAG};
 * a message is at most {@link #MAX_MESSAGE} bytes. Anything else, and trailing bytes, is rejected with
 * an {@link IllegalArgumentException} that says what was wrong.
 */
public final class DeliveryCodec {
    public static final int VERSION = 1;
    /** Longest endpoint discriminator carried (a Flash peer-ID EPD is 34 bytes). */
    public static final int MAX_EPD = 255;
    /** Longest node name carried. */
    public static final int MAX_NODE = 100;
    private static final int MAX_ADDRESS = 1 + 16 + 2;
    /**
     * Longest message: an Ask with the longest node name and EPD, IPv6 addresses, the most reported
     * addresses and the longest tag.
     */
    public static final int MAX_MESSAGE = 2 + 32 + 32 + 1 + MAX_NODE + 8 + 1 + MAX_EPD + MAX_ADDRESS + 1
            + PeerRegistry.MAX_REPORTED * MAX_ADDRESS + 1 + Limits.MAX_IHELLO_TAG;

    private static final int FORWARD = 1;
    private static final int REFER = 2;
    private static final int EVICT = 3;
    private static final int ASK = 4;
    private static final int ANSWER = 5;
    private static final int PAIR = 6;
    private static final int FLAG_IPV6 = 0x80;
    private static final int ORIGIN_MASK = 0x03;
    private static final int RESERVED = 0x7c;

    private DeliveryCodec() {
    }

    public static byte[] encode(Delivery d) {
        ByteBuffer out = ByteBuffer.allocate(MAX_MESSAGE);
        out.put((byte) VERSION);
        if (d instanceof Delivery.Forward f) {
            checkEpdAndTag(f.epd(), f.tag());
            out.put((byte) FORWARD).put(f.peer().bytes());
            out.put((byte) f.epd().length).put(f.epd());
            putAddress(out, f.initiator().address(), f.initiator().origin().ordinal());
            out.put((byte) f.tag().length).put(f.tag());
        } else if (d instanceof Delivery.Refer r) {
            out.put((byte) REFER).put(r.peer().bytes()).put(r.group().bytes()).put(r.member().bytes());
        } else if (d instanceof Delivery.Evict e) {
            out.put((byte) EVICT).put(e.peer().bytes());
        } else if (d instanceof Delivery.Ask a) {
            checkEpdAndTag(a.epd(), a.tag());
            if (a.reported().size() > PeerRegistry.MAX_REPORTED) {
                throw new IllegalArgumentException(a.reported().size() + " reported addresses; the limit is "
                        + PeerRegistry.MAX_REPORTED);
            }
            out.put((byte) ASK).put(a.peer().bytes()).put(a.initiator().bytes());
            putNode(out, a.initiatorNode());
            out.putLong(a.ask());
            out.put((byte) a.epd().length).put(a.epd());
            putAddress(out, a.from(), 0);
            out.put((byte) a.reported().size());
            for (InetSocketAddress r : a.reported()) {
                putAddress(out, r, 0);
            }
            out.put((byte) a.tag().length).put(a.tag());
        } else if (d instanceof Delivery.Answer a) {
            out.put((byte) ANSWER).put(a.peer().bytes()).put(a.target().bytes());
            putNode(out, a.targetNode());
            out.putLong(a.ask()).put((byte) a.verdict().ordinal());
        } else if (d instanceof Delivery.Pair p) {
            out.put((byte) PAIR).put(p.peer().bytes()).put(p.partner().bytes());
            putNode(out, p.partnerNode());
            out.put((byte) (p.paired() ? 1 : 0));
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
                    PeerAddress address = address(in);
                    yield new Delivery.Forward(peer, epd, address, tag(in));
                }
                case ASK -> {
                    PeerId initiator = PeerId.of(bytes(in, 32));
                    String node = node(in);
                    long ask = in.getLong();
                    byte[] epd = bytes(in, in.get() & 0xff);
                    InetSocketAddress from = address(in).address();
                    int count = in.get() & 0xff;
                    if (count > PeerRegistry.MAX_REPORTED) {
                        throw new IllegalArgumentException(count + " reported addresses; the limit is " + PeerRegistry.MAX_REPORTED);
                    }
                    List<InetSocketAddress> reported = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        reported.add(address(in).address());
                    }
                    yield new Delivery.Ask(peer, initiator, node, ask, epd, from, reported, tag(in));
                }
                case ANSWER -> {
                    PeerId target = PeerId.of(bytes(in, 32));
                    String node = node(in);
                    long ask = in.getLong();
                    int verdict = in.get() & 0xff;
                    if (verdict >= Delivery.Verdict.values().length) {
                        throw new IllegalArgumentException("unknown verdict " + verdict);
                    }
                    yield new Delivery.Answer(peer, target, node, ask, Delivery.Verdict.values()[verdict]);
                }
                case PAIR -> {
                    PeerId partner = PeerId.of(bytes(in, 32));
                    String node = node(in);
                    int paired = in.get() & 0xff;
                    if (paired > 1) {
                        throw new IllegalArgumentException("pair flag " + paired + "; 0 or 1 expected");
                    }
                    yield new Delivery.Pair(peer, partner, node, paired == 1);
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

    private static void checkEpdAndTag(byte[] epd, byte[] tag) {
        if (epd.length > MAX_EPD) {
            throw new IllegalArgumentException("endpoint discriminator of " + epd.length + " bytes; the limit is " + MAX_EPD);
        }
        if (tag.length > Limits.MAX_IHELLO_TAG) {
            throw new IllegalArgumentException("tag of " + tag.length + " bytes; the limit is " + Limits.MAX_IHELLO_TAG);
        }
    }

    private static void putAddress(ByteBuffer out, InetSocketAddress address, int origin) {
        byte[] ip = address.getAddress().getAddress();
        out.put((byte) ((ip.length == 16 ? FLAG_IPV6 : 0) | origin));
        out.put(ip).putShort((short) address.getPort());
    }

    private static PeerAddress address(ByteBuffer in) {
        int flags = in.get() & 0xff;
        if ((flags & RESERVED) != 0) {
            throw new IllegalArgumentException("address flags 0x" + Integer.toHexString(flags) + " set reserved bits");
        }
        byte[] ip = bytes(in, (flags & FLAG_IPV6) != 0 ? 16 : 4);
        int port = in.getShort() & 0xffff;
        return new PeerAddress(new InetSocketAddress(inet(ip), port), PeerAddress.Origin.values()[flags & ORIGIN_MASK]);
    }

    private static byte[] tag(ByteBuffer in) {
        byte[] tag = bytes(in, in.get() & 0xff);
        if (tag.length > Limits.MAX_IHELLO_TAG) {
            throw new IllegalArgumentException("tag of " + tag.length + " bytes; the limit is " + Limits.MAX_IHELLO_TAG);
        }
        return tag;
    }

    private static void putNode(ByteBuffer out, String node) {
        byte[] b = node.getBytes(StandardCharsets.US_ASCII);
        if (b.length < 1 || b.length > MAX_NODE) {
            throw new IllegalArgumentException("node name of " + b.length + " bytes; 1 to " + MAX_NODE + " expected");
        }
        out.put((byte) b.length).put(b);
    }

    private static String node(ByteBuffer in) {
        int n = in.get() & 0xff;
        if (n < 1 || n > MAX_NODE) {
            throw new IllegalArgumentException("node name of " + n + " bytes; 1 to " + MAX_NODE + " expected");
        }
        return new String(bytes(in, n), StandardCharsets.US_ASCII);
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
