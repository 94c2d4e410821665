package org.rtmfpd.wire;

import static org.rtmfpd.testing.Generators.anyInt;
import static org.rtmfpd.testing.Generators.intBetween;
import static org.rtmfpd.testing.Generators.listOf;
import static org.rtmfpd.testing.Generators.longBetween;
import static org.rtmfpd.testing.Generators.pick;
import static org.rtmfpd.testing.Generators.vlu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.rtmfpd.testing.Generators;

/** Valid values of every wire type, drawn from a seeded {@link Random}, for round-trip and fuzz properties. */
final class WireGenerators {
    private static final int MAX_BYTES = 48;
    private static final byte[] V4_MAPPED_LOOPBACK = Bytes.hex("00000000000000000000ffff7f000001");

    /** One generator per chunk type the wire layer models, and one for unknown types; each as likely. */
    private static final List<Function<Random, Chunk>> CHUNKS = List.of(
            r -> new IHello(bytes(r), bytes(r, Limits.MAX_IHELLO_TAG)),
            r -> new RHello(bytes(r), bytes(r), bytes(r)),
            r -> new Redirect(bytes(r), listOf(r, 0, 4, WireGenerators::peerAddress)),
            r -> new IIKeying(anyInt(r), bytes(r), bytes(r), bytes(r), bytes(r, 4)),
            r -> new RIKeying(anyInt(r), bytes(r), bytes(r, 4)),
            r -> new CookieChange(bytes(r), bytes(r)),
            r -> new ForwardedIHello(bytes(r), peerAddress(r), bytes(r)),
            r -> new Ping(bytes(r)),
            r -> new PingReply(bytes(r)),
            WireGenerators::userData,
            WireGenerators::nextUserData,
            r -> new AckBitmap(vlu(r), vlu(r), vlu(r), bytes(r)),
            WireGenerators::ackRanges,
            r -> new BufferProbe(vlu(r)),
            r -> new FlowException(vlu(r), vlu(r)),
            r -> new SessionCloseRequest(),
            r -> new SessionCloseAck(),
            WireGenerators::unknown);

    private WireGenerators() {
    }

    static byte[] bytes(Random r, int maxSize) {
        return Generators.bytes(r, maxSize);
    }

    static byte[] bytes(Random r) {
        return bytes(r, MAX_BYTES);
    }

    /** An IPv4, an IPv6 or the v4-mapped IPv6 loopback address (a third each), any port, any origin. */
    static PeerAddress peerAddress(Random r) {
        InetAddress ip = switch (r.nextInt(3)) {
            case 0 -> Generators.ipv4(r);
            case 1 -> Generators.ipv6(r);
            default -> Generators.address(V4_MAPPED_LOOPBACK.clone());
        };
        int port = intBetween(r, 0, 0xffff);
        return new PeerAddress(new InetSocketAddress(ip, port), pick(r, PeerAddress.Origin.class));
    }

    /** An option whose type is half the time below 0x4000 (one or two VLU bytes), else any non-negative int. */
    static Option option(Random r) {
        int type = r.nextBoolean() ? intBetween(r, 0, 0x3fff) : intBetween(r, 0, Integer.MAX_VALUE);
        return new Option(type, bytes(r, 20));
    }

    static OptionList optionList(Random r) {
        return new OptionList(listOf(r, 0, 4, WireGenerators::option));
    }

    static Chunk chunk(Random r) {
        return pick(r, CHUNKS).apply(r);
    }

    static List<Chunk> chunkList(Random r, int maxSize) {
        return listOf(r, 0, maxSize, WireGenerators::chunk);
    }

    private static int userDataFlags(Random r) {
        return intBetween(r, 0, 0xff);
    }

    /** The options to go with {@code flags}: any list when OPT is set, none otherwise. */
    private static OptionList optionsFor(Random r, int flags) {
        return (flags & UserData.OPT) != 0 ? optionList(r) : OptionList.EMPTY;
    }

    static Chunk userData(Random r) {
        int flags = userDataFlags(r);
        long flowId = vlu(r);
        long sequenceNumber = vlu(r);
        byte[] data = bytes(r);
        long fsnOffset = longBetween(r, 0, sequenceNumber);
        return new UserData(flags, flowId, sequenceNumber, fsnOffset, optionsFor(r, flags), data);
    }

    static Chunk nextUserData(Random r) {
        int flags = userDataFlags(r);
        byte[] data = bytes(r);
        return new NextUserData(flags, optionsFor(r, flags), data);
    }

    static Chunk ackRanges(Random r) {
        long flowId = vlu(r);
        long buffer = vlu(r);
        long cumulativeAck = longBetween(r, 0, 1L << 40);
        List<AckRanges.Range> ranges = new ArrayList<>();
        long end = cumulativeAck;
        for (long[] pair : listOf(r, 0, 6, g -> new long[] {longBetween(g, 0, 1L << 40), longBetween(g, 0, 1L << 40)})) {
            long start = end + pair[0] + 2;
            end = start + pair[1];
            ranges.add(new AckRanges.Range(start, end));
        }
        return new AckRanges(flowId, buffer, cumulativeAck, ranges);
    }

    /** A chunk of a type below PADDING that the wire layer does not model. */
    static Chunk unknown(Random r) {
        int type;
        do {
            type = intBetween(r, 0, Chunks.PADDING - 1);
        } while (Chunks.isModelled(type));
        return new Unknown(type, bytes(r));
    }

    /** A packet with MOD bits set, timestamps where the flags call for them, and up to five chunks. */
    static Packet packet(Random r) {
        int flags;
        do {
            flags = intBetween(r, 0, 0xff);
        } while ((flags & Packet.MOD) == 0);
        int ts = intBetween(r, 0, 0xffff);
        int tse = intBetween(r, 0, 0xffff);
        List<Chunk> chunks = chunkList(r, 5);
        return new Packet(flags, (flags & Packet.TS) != 0 ? ts : Packet.ABSENT,
                (flags & Packet.TSE) != 0 ? tse : Packet.ABSENT, chunks);
    }

    static byte[] encode(Packet packet) {
        ByteBuf out = Unpooled.buffer();
        packet.encode(out);
        return ByteBufs.toArray(out);
    }
}
