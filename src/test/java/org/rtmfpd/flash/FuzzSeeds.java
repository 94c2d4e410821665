package org.rtmfpd.flash;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.rendezvous.PeerId;
import org.rtmfpd.testing.Resources;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.Chunks;
import org.rtmfpd.wire.IHello;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.Packet;
import org.rtmfpd.wire.RHello;
import org.rtmfpd.wire.RIKeying;
import org.rtmfpd.wire.Ping;
import org.rtmfpd.wire.AckBitmap;
import org.rtmfpd.wire.SessionCloseRequest;
import org.rtmfpd.wire.UserData;
import org.rtmfpd.wire.Vlu;

/**
 * Writes the seed corpus of every fuzz target (docs/testing.md) under {@code src/test/resources}: the
 * datagrams of the captures in {@code /captures/}, the packets, chunk areas, certificates, keying
 * components, EPDs and IIKeyings decoded from them, and for the Flash layer (whose traffic in the
 * captures is under session keys) the messages as Flash Player lays them out ({@link CommandTest}).
 * Run by hand: {@code java -cp target/test-classes:target/classes:<deps> org.rtmfpd.flash.FuzzSeeds}.
 */
public final class FuzzSeeds {
    private static final Path RESOURCES = Path.of("src/test/resources/org/rtmfpd");
    private static final String[] PCAPS = {"connect-default", "flashlike-connect-and-p2p", "p2p-default"};
    /** DispatcherFuzzTest's step operations. */
    private static final int FROM_CLIENT = 0;
    private static final int SEALED_FROM_CLIENT = 2;
    private static final int ADVANCE = 4;
    private static final int STARTUP_FROM_THIRD = 5;

    private final Map<String, Map<String, byte[]>> seeds = new LinkedHashMap<>();

    private FuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        FuzzSeeds s = new FuzzSeeds();
        s.fromCaptures();
        s.flash();
        s.write();
    }

    private void add(String target, String name, byte[] bytes) {
        seeds.computeIfAbsent(target, t -> new LinkedHashMap<>()).putIfAbsent(name, bytes);
    }

    private void fromCaptures() {
        Map<String, List<byte[]>> clientDatagrams = new LinkedHashMap<>();
        for (String pcap : PCAPS) {
            clientDatagrams.put(pcap, udpPayloads(Resources.bytes("/captures/" + pcap + ".pcap")));
        }
        List<byte[]> librtmfp = new ArrayList<>();
        for (String line : Resources.text("/captures/librtmfp-handshake.txt").split("\n")) {
            if (line.startsWith("C>S ") || line.startsWith("S>C ")) {
                librtmfp.add(Resources.hex(line.substring(4).trim()));
            }
        }
        clientDatagrams.put("librtmfp", librtmfp);
        add("wire/WireFuzzTestInputs/vlu", "zero", new byte[] {0});
        for (long v : new long[] {127, 128, 16_383, 1L << 32, Long.MAX_VALUE}) {
            ByteBuf out = Unpooled.buffer();
            Vlu.write(out, v);
            add("wire/WireFuzzTestInputs/vlu", "value-" + v, ByteBufs.toArray(out));
        }
        for (Map.Entry<String, List<byte[]>> capture : clientDatagrams.entrySet()) {
            int n = 0;
            for (byte[] datagram : capture.getValue()) {
                String name = capture.getKey() + "-" + n++;
                add("wire/WireFuzzTestInputs/defaultKeyDatagram", name, datagram);
                PacketCipher.Opened opened;
                try {
                    opened = PacketCipher.DEFAULT.open(datagram, 4, datagram.length - 4);
                } catch (RuntimeException sessionKeyed) {
                    continue;
                }
                byte[] plain = java.util.Arrays.copyOfRange(opened.plain(), opened.offset(), opened.plain().length);
                Packet packet;
                try {
                    packet = Packet.decode(Unpooled.wrappedBuffer(plain));
                } catch (RuntimeException notAPacket) {
                    continue; // a session-keyed datagram whose checksum happened to match
                }
                add("wire/WireFuzzTestInputs/packet", name, plain);
                add("server/DispatcherFuzzTestInputs/startup", name, step(FROM_CLIENT, datagram));
                add("server/DispatcherFuzzTestInputs/startup", name + "-plain", step(SEALED_FROM_CLIENT, plain));
                int header = 1 + ((packet.flags() & Packet.TS) != 0 ? 2 : 0) + ((packet.flags() & Packet.TSE) != 0 ? 2 : 0);
                add("wire/WireFuzzTestInputs/chunks", name, java.util.Arrays.copyOfRange(plain, header, plain.length));
                for (Chunk chunk : packet.chunks()) {
                    chunkSeeds(name, chunk);
                }
            }
        }
    }

    private void chunkSeeds(String name, Chunk chunk) {
        if (chunk instanceof IHello hello) {
            add("crypto/CryptoFuzzTestInputs/endpointDiscriminator", name, hello.epd());
            add("wire/WireFuzzTestInputs/optionList", name + "-epd", hello.epd());
        } else if (chunk instanceof RHello rhello) {
            add("crypto/CryptoFuzzTestInputs/certificate", name, rhello.certificate());
            add("wire/WireFuzzTestInputs/optionList", name + "-certificate", rhello.certificate());
        } else if (chunk instanceof IIKeying iikeying) {
            ByteBuf payload = Unpooled.buffer();
            iikeying.encodePayload(payload);
            add("handshake/HandshakeFuzzTestInputs/initiatorKeying", name, ByteBufs.toArray(payload));
            add("crypto/CryptoFuzzTestInputs/certificate", name, iikeying.certificate());
            add("crypto/CryptoFuzzTestInputs/keyingComponent", name, iikeying.skic());
            add("wire/WireFuzzTestInputs/optionList", name + "-skic", iikeying.skic());
        } else if (chunk instanceof RIKeying rikeying) {
            add("crypto/CryptoFuzzTestInputs/keyingComponent", name, rikeying.skrc());
        } else {
            ByteBuf payload = Unpooled.buffer();
            chunk.encodePayload(payload);
            add("wire/WireFuzzTestInputs/optionList", name + "-chunk-" + Integer.toHexString(chunk.type()),
                    ByteBufs.toArray(payload));
        }
    }

    private void flash() {
        byte[] connect = Hex.bytes(CommandTest.FLASH_CONNECT);
        byte[] setPeerInfo = FlashHarness.command("setPeerInfo", 0, null, "127.0.0.1:50000", "[::1]:50000");
        byte[] setPeerInfoAmf3 = Hex.bytes("11 00000000 00 02 000b 7365745065657249 6e666f 00 0000000000000000 05"
                + " 11 06 21 3139322e3136382e312e353a31393335");
        byte[] createStream = FlashHarness.command("createStream", 2, null);
        byte[] setBufferLength = Hex.bytes("04 00000000 0003 00000001 00000064");
        byte[] flowSync = Hex.bytes("04 00000000 0022 00000001 00000002");
        String flowMetadata = "flash/FlashFuzzTestInputs/flowMetadata";
        add(flowMetadata, "net-connection", FlowMetadata.NET_CONNECTION.toBytes());
        add(flowMetadata, "stream-1-network-order", new FlowMetadata.Tc(1, 1).toBytes());
        add(flowMetadata, "group", FlashHarness.GC_METADATA);
        String tc = "flash/FlashFuzzTestInputs/tcMessage";
        add(tc, "flash-connect", connect);
        add(tc, "set-peer-info", setPeerInfo);
        add(tc, "set-peer-info-amf3", setPeerInfoAmf3);
        add(tc, "create-stream", createStream);
        add(tc, "set-buffer-length", setBufferLength);
        add(tc, "flow-sync", flowSync);
        String amf0 = "flash/amf/AmfFuzzTestInputs/amf0";
        add(amf0, "flash-connect-body", java.util.Arrays.copyOfRange(connect, TcMessage.HEADER_SIZE, connect.length));
        add(amf0, "set-peer-info-body", java.util.Arrays.copyOfRange(setPeerInfo, TcMessage.HEADER_SIZE, setPeerInfo.length));
        add(amf0, "ecma-array-strict-array-date", Hex.bytes("08 00000001 0001 61 0a 00000002 00 3ff0000000000000 01 01 0000 09"
                + " 0b 0000000000000000 0000 10 0001 43 0000 09 0c 00000001 41"));
        String amf3 = "flash/amf/AmfFuzzTestInputs/amf3";
        add(amf3, "string", Hex.bytes("06 21 3139322e3136382e312e353a31393335"));
        add(amf3, "integer", Hex.bytes("04 ff ff ff ff"));
        add(amf3, "double", Hex.bytes("05 3ff0000000000000"));
        byte[] group = new byte[32];
        group[0] = 1;
        byte[] join = FlashHarness.join(FlashHarness.group(1));
        String net = "flash/FlashFuzzTestInputs/netGroupMessages";
        add(net, "join", join);
        add(net, "member", new GroupMember(PeerId.of(group)).toBytes());
        add(net, "groupspec", "G:010121050e0f000102030405060708090a0b0c0d0e0f10111213141516171819".getBytes(StandardCharsets.US_ASCII));
        add(net, "address", "[2001:db8::1]:1935".getBytes(StandardCharsets.US_ASCII));

        // In a session: connect on flow 2, setPeerInfo, createStream, a NetGroup flow and join, acks,
        // pings, the clock moving on, an introduction request from a third party, a close.
        byte[] tcMetadata = FlowMetadata.NET_CONNECTION.toBytes();
        OptionList opened = OptionList.of(Option.of(0, tcMetadata));
        byte[] connectPacket = packet(new UserData(UserData.OPT, 2, 1, 1, opened, connect));
        byte[] setPeerInfoPacket = packet(new UserData(0, 2, 2, 1, OptionList.EMPTY, setPeerInfo));
        byte[] createStreamPacket = packet(new UserData(0, 2, 3, 1, OptionList.EMPTY, createStream));
        byte[] groupPacket = packet(new UserData(UserData.OPT, 3, 1, 1,
                OptionList.of(Option.of(0, new byte[] {'G', 'C'}), Option.ofVlu(0x0a, 2)), join));
        byte[] ackPacket = packet(new AckBitmap(2, 0x10000, 0, new byte[0]));
        byte[] pingPacket = packet(new Ping(new byte[] {1, 2, 3}));
        byte[] closePacket = packet(new SessionCloseRequest());
        String session = "server/DispatcherFuzzTestInputs/session";
        add(session, "connect", step(SEALED_FROM_CLIENT, connectPacket));
        add(session, "connect-set-peer-info-create-stream", concat(step(SEALED_FROM_CLIENT, connectPacket),
                step(SEALED_FROM_CLIENT, setPeerInfoPacket), step(SEALED_FROM_CLIENT, createStreamPacket),
                step(ADVANCE, new byte[] {0x01, 0x00})));
        add(session, "connect-join-group", concat(step(SEALED_FROM_CLIENT, connectPacket),
                step(SEALED_FROM_CLIENT, groupPacket), step(SEALED_FROM_CLIENT, ackPacket)));
        add(session, "ping-and-close", concat(step(SEALED_FROM_CLIENT, pingPacket), step(ADVANCE, new byte[] {0x75, 0x30}),
                step(SEALED_FROM_CLIENT, closePacket)));
        add(session, "connect-then-silence", concat(step(SEALED_FROM_CLIENT, connectPacket),
                step(ADVANCE, new byte[] {0x13, (byte) 0x88}), step(ADVANCE, new byte[] {(byte) 0xea, 0x60}),
                step(ADVANCE, new byte[] {(byte) 0xea, 0x60})));
        IHello lookup = new IHello(org.rtmfpd.crypto.EndpointDiscriminator.ofFingerprint(group), new byte[16]);
        add(session, "introduction-request", concat(step(SEALED_FROM_CLIENT, connectPacket),
                step(STARTUP_FROM_THIRD, startupPlain(lookup))));
    }

    private static byte[] packet(Chunk chunk) {
        ByteBuf out = Unpooled.buffer();
        new Packet(Packet.TS | Packet.MODE_INITIATOR, 0x1234, Packet.ABSENT, List.of(chunk)).encode(out);
        return ByteBufs.toArray(out);
    }

    private static byte[] startupPlain(Chunk chunk) {
        ByteBuf out = Unpooled.buffer();
        new Packet(Packet.TS | Packet.MODE_STARTUP, 0, Packet.ABSENT, List.of(chunk)).encode(out);
        return ByteBufs.toArray(out);
    }

    static byte[] step(int op, byte[] bytes) {
        return concat(new byte[] {(byte) op, (byte) (bytes.length >>> 8), (byte) bytes.length}, bytes);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static List<byte[]> udpPayloads(byte[] capture) {
        ByteBuf pcap = Unpooled.wrappedBuffer(capture);
        List<byte[]> payloads = new ArrayList<>();
        int at = 24;
        while (at + 16 <= pcap.capacity()) {
            int length = pcap.getIntLE(at + 8);
            ByteBuf frame = pcap.slice(at + 16, length);
            at += 16 + length;
            int ip = 14;
            if (frame.getUnsignedShort(12) != 0x0800 || frame.getUnsignedByte(ip + 9) != 17) {
                continue;
            }
            int udp = ip + (frame.getUnsignedByte(ip) & 0x0f) * 4;
            payloads.add(ByteBufs.toArray(frame.slice(udp + 8, frame.getUnsignedShort(udp + 4) - 8)));
        }
        return payloads;
    }

    private void write() throws IOException {
        for (Map.Entry<String, Map<String, byte[]>> target : seeds.entrySet()) {
            Path dir = RESOURCES.resolve(target.getKey());
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> seed : target.getValue().entrySet()) {
                Files.write(dir.resolve("seed-" + seed.getKey()), seed.getValue());
            }
            System.out.println(target.getValue().size() + " seeds in " + dir);
        }
    }
}
