package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Turns jqwik's generators into valid values of every wire type, for round-trip and fuzz properties. */
final class WireArbitraries {
    private static final int MAX_BYTES = 48;

    private WireArbitraries() {
    }

    static Arbitrary<byte[]> bytes(int maxSize) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize);
    }

    static Arbitrary<byte[]> bytes() {
        return bytes(MAX_BYTES);
    }

    /** Any non-negative long, weighted towards the VLU size boundaries. */
    static Arbitrary<Long> vluValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, Long.MAX_VALUE)),
                Tuple.of(3, Arbitraries.longs().between(0, 20_000)),
                Tuple.of(1, Arbitraries.of(0L, 127L, 128L, 16383L, 16384L,
                        (1L << 21) - 1, 1L << 21, (1L << 56) - 1, 1L << 56, (1L << 62), Long.MAX_VALUE)));
    }

    static Arbitrary<PeerAddress> peerAddresses() {
        Arbitrary<byte[]> ip = Arbitraries.oneOf(bytes(4).filter(b -> b.length == 4), bytes(16).filter(b -> b.length == 16),
                Arbitraries.just(Bytes.hex("00000000000000000000ffff7f000001")));
        return Combinators.combine(ip, Arbitraries.integers().between(0, 0xffff),
                Arbitraries.of(PeerAddress.Origin.class)).as(WireArbitraries::peerAddress);
    }

    private static PeerAddress peerAddress(byte[] ip, int port, PeerAddress.Origin origin) {
        try {
            InetAddress address = ip.length == 16
                    ? Inet6Address.getByAddress(null, ip, -1) : InetAddress.getByAddress(ip);
            return new PeerAddress(new InetSocketAddress(address, port), origin);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static Arbitrary<Option> options() {
        Arbitrary<Integer> type = Arbitraries.oneOf(Arbitraries.integers().between(0, 0x3fff),
                Arbitraries.integers().between(0, Integer.MAX_VALUE));
        return Combinators.combine(type, bytes(20)).as(Option::new);
    }

    static Arbitrary<OptionList> optionLists() {
        return options().list().ofMaxSize(4).map(OptionList::new);
    }

    static Arbitrary<Chunk> chunks() {
        return Arbitraries.oneOf(List.of(
                Combinators.combine(bytes(), bytes(Limits.MAX_IHELLO_TAG)).as(IHello::new),
                Combinators.combine(bytes(), bytes(), bytes()).as(RHello::new),
                Combinators.combine(bytes(), peerAddresses().list().ofMaxSize(4)).as(Redirect::new),
                Combinators.combine(Arbitraries.integers(), bytes(), bytes(), bytes(), bytes(4)).as(IIKeying::new),
                Combinators.combine(Arbitraries.integers(), bytes(), bytes(4)).as(RIKeying::new),
                Combinators.combine(bytes(), bytes()).as(CookieChange::new),
                Combinators.combine(bytes(), peerAddresses(), bytes()).as(ForwardedIHello::new),
                bytes().map(Ping::new),
                bytes().map(PingReply::new),
                userData(),
                nextUserData(),
                Combinators.combine(vluValues(), vluValues(), vluValues(), bytes()).as(AckBitmap::new),
                ackRanges(),
                vluValues().map(BufferProbe::new),
                Combinators.combine(vluValues(), vluValues()).as(FlowException::new),
                Arbitraries.just(new SessionCloseRequest()),
                Arbitraries.just(new SessionCloseAck()),
                unknown()));
    }

    private static Arbitrary<Integer> userDataFlags() {
        return Arbitraries.integers().between(0, 0xff);
    }

    /** The options to go with {@code flags}: any list when OPT is set, none otherwise. */
    private static Arbitrary<OptionList> optionsFor(int flags) {
        return (flags & UserData.OPT) != 0 ? optionLists() : Arbitraries.just(OptionList.EMPTY);
    }

    static Arbitrary<Chunk> userData() {
        return Combinators.combine(userDataFlags(), vluValues(), vluValues(), bytes()).flatAs(
                (flags, flowId, sequenceNumber, data) -> Combinators.combine(
                        Arbitraries.longs().between(0, sequenceNumber), optionsFor(flags)).as(
                        (fsnOffset, options) -> new UserData(flags, flowId, sequenceNumber, fsnOffset, options, data)));
    }

    static Arbitrary<Chunk> nextUserData() {
        return Combinators.combine(userDataFlags(), bytes()).flatAs(
                (flags, data) -> optionsFor(flags).map(options -> new NextUserData(flags, options, data)));
    }

    static Arbitrary<Chunk> ackRanges() {
        Arbitrary<Long> small = Arbitraries.longs().between(0, 1L << 40);
        Arbitrary<List<long[]>> gaps = Combinators.combine(small, small).as((h, r) -> new long[] {h, r})
                .list().ofMaxSize(6);
        return Combinators.combine(vluValues(), vluValues(), small, gaps).as((flowId, buffer, cumulativeAck, pairs) -> {
            List<AckRanges.Range> ranges = new ArrayList<>();
            long end = cumulativeAck;
            for (long[] pair : pairs) {
                long start = end + pair[0] + 2;
                end = start + pair[1];
                ranges.add(new AckRanges.Range(start, end));
            }
            return new AckRanges(flowId, buffer, cumulativeAck, ranges);
        });
    }

    static Arbitrary<Chunk> unknown() {
        return Combinators.combine(Arbitraries.integers().between(0, Chunks.PADDING - 1).filter(t -> !Chunks.isModelled(t)),
                bytes()).as(Unknown::new);
    }

    static Arbitrary<Packet> packets() {
        Arbitrary<Integer> flags = Arbitraries.integers().between(0, 0xff).filter(f -> (f & Packet.MOD) != 0);
        return Combinators.combine(flags, Arbitraries.integers().between(0, 0xffff),
                Arbitraries.integers().between(0, 0xffff), chunks().list().ofMaxSize(5)).as(
                (f, ts, tse, chunks) -> new Packet(f, (f & Packet.TS) != 0 ? ts : Packet.ABSENT,
                        (f & Packet.TSE) != 0 ? tse : Packet.ABSENT, chunks));
    }

    static byte[] encode(Packet packet) {
        ByteBuf out = Unpooled.buffer();
        packet.encode(out);
        return ByteBufs.toArray(out);
    }
}
