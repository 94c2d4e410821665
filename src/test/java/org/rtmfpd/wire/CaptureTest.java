package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decodes every startup packet of real captures of rtmfp-cpp clients and server, bytes no one in this
 * project produced, and compares the result with the independent decoding printed beside each capture.
 */
class CaptureTest {
    private static final int PCAP_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int ETHERNET_HEADER = 14;
    private static final int UDP_HEADER = 8;
    private static final Pattern PACKET_LINE = Pattern.compile(
            "ssid=([0-9a-f]{8}) default-key cksum=ok flags=0x([0-9a-f]{2}) mode=\\d ts=(\\d+)");
    private static final Pattern CHUNK_LINE = Pattern.compile("^\\s+chunk 0x([0-9a-f]{2}) \\w+ len=(\\d+)(.*)$");

    @ParameterizedTest
    @ValueSource(strings = {"connect-default", "flashlike-connect-and-p2p", "p2p-default"})
    void everyStartupPacketDecodesAsTheReferenceDecodingSays(String capture) throws Exception {
        List<String> expected = referenceDecoding(capture);
        List<String> actual = new ArrayList<>();
        for (byte[] payload : udpPayloads(capture)) {
            decodeStartup(payload, actual);
        }
        assertTrue(expected.size() >= 4, "reference decoding of " + capture + " is too short: " + expected);
        assertEquals(expected, actual);
    }

    /** Adds one line per packet and per chunk if {@code datagram} is a default-key packet with a good checksum. */
    private static void decodeStartup(byte[] datagram, List<String> out) throws NoSuchAlgorithmException {
        int ciphertextLength = datagram.length - SessionIdScrambler.SSID_SIZE;
        if (ciphertextLength <= 0 || ciphertextLength % DefaultKey.BLOCK != 0) {
            return;
        }
        ByteBuf wire = Unpooled.wrappedBuffer(datagram);
        ByteBuf plain = Unpooled.wrappedBuffer(DefaultKey.decrypt(
                ByteBufs.toArray(wire.slice(SessionIdScrambler.SSID_SIZE, ciphertextLength))));
        int stored = plain.readUnsignedShort();
        if (stored != Checksum.of(plain, plain.readerIndex(), plain.readableBytes())) {
            return; // a session-keyed packet
        }
        Packet packet = Packet.decode(plain);
        out.add(String.format("ssid=%08x flags=%02x ts=%d", SessionIdScrambler.sessionIdOf(wire), packet.flags(),
                packet.timestamp()));
        for (Chunk chunk : packet.chunks()) {
            out.add(String.format("chunk %02x len=%d %s", chunk.type(), Bytes.payload(chunk).length, describe(chunk)));
        }
    }

    /** The fields the reference decoding prints, in its words. */
    private static String describe(Chunk chunk) throws NoSuchAlgorithmException {
        if (chunk instanceof IHello hello) {
            return "tag=" + ByteBufs.hex(hello.tag());
        }
        if (chunk instanceof RHello hello) {
            return "tag=" + ByteBufs.hex(hello.tagEcho()) + " cookie(" + hello.cookie().length + "B)";
        }
        if (chunk instanceof Redirect redirect) {
            List<String> addresses = new ArrayList<>();
            for (PeerAddress address : redirect.addresses()) {
                addresses.add(address.address().getAddress().getHostAddress() + ":" + address.address().getPort()
                        + "(origin=" + address.origin().ordinal() + ")");
            }
            return "tag=" + ByteBufs.hex(redirect.tagEcho()) + " redirect=" + addresses;
        }
        if (chunk instanceof IIKeying keying) {
            byte[] peerId = MessageDigest.getInstance("SHA-256").digest(keying.certificate());
            return String.format("isid=0x%08x cookie(%dB) cert(%dB) peerID=%s sig=%s", keying.initiatorSessionId(),
                    keying.cookie().length, keying.certificate().length, ByteBufs.hex(peerId),
                    ByteBufs.hex(keying.signature()));
        }
        if (chunk instanceof RIKeying keying) {
            return String.format("rsid=0x%08x sig=%s", keying.responderSessionId(), ByteBufs.hex(keying.signature()));
        }
        return chunk.toString();
    }

    /** The reference decoding, reduced to the lines {@link #decodeStartup} produces. */
    private static List<String> referenceDecoding(String capture) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : resource(capture + ".txt").lines().toList()) {
            Matcher packet = PACKET_LINE.matcher(line);
            Matcher chunk = CHUNK_LINE.matcher(line);
            if (packet.find()) {
                lines.add("ssid=" + packet.group(1) + " flags=" + packet.group(2) + " ts=" + packet.group(3));
            } else if (chunk.find()) {
                lines.add("chunk " + chunk.group(1) + " len=" + chunk.group(2) + " " + reduce(chunk.group(1), chunk.group(3)));
            }
        }
        return lines;
    }

    private static String reduce(String type, String fields) {
        String tag = field(fields, "tag=([0-9a-f]+)");
        return switch (type) {
            case "30" -> "tag=" + tag;
            case "70" -> "tag=" + tag + " cookie(" + field(fields, "cookie\\((\\d+)B\\)") + "B)";
            case "71" -> "tag=" + tag + " redirect=" + field(fields, "redirect=\\[(.*)\\]").replace("'", "")
                    .replaceAll("^(.*)$", "[$1]");
            case "38" -> "isid=" + field(fields, "isid=(0x[0-9a-f]+)") + " cookie(" + field(fields, "cookie\\((\\d+)B\\)")
                    + "B) cert(" + field(fields, "cert\\((\\d+)B\\)") + "B) peerID=" + field(fields, "peerID=sha256\\(cert\\)=([0-9a-f]+)")
                    + " sig=" + field(fields, "sig=([0-9a-f]+)");
            case "78" -> "rsid=" + field(fields, "rsid=(0x[0-9a-f]+)") + " sig=" + field(fields, "sig=([0-9a-f]+)");
            default -> fields;
        };
    }

    private static String field(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        return matcher.find() ? matcher.group(1) : "?";
    }

    /** The UDP payloads of a little-endian Ethernet/IPv4 pcap, in capture order. */
    private static List<byte[]> udpPayloads(String capture) throws IOException {
        ByteBuf pcap;
        try (InputStream in = CaptureTest.class.getResourceAsStream("/captures/" + capture + ".pcap")) {
            pcap = Unpooled.wrappedBuffer(in.readAllBytes());
        }
        assertEquals(0xa1b2c3d4, pcap.getIntLE(0), "little-endian microsecond pcap");
        assertEquals(1, pcap.getIntLE(20), "Ethernet link type");
        List<byte[]> payloads = new ArrayList<>();
        int at = PCAP_HEADER;
        while (at + RECORD_HEADER <= pcap.capacity()) {
            int length = pcap.getIntLE(at + 8);
            ByteBuf frame = pcap.slice(at + RECORD_HEADER, length);
            at += RECORD_HEADER + length;
            int ip = ETHERNET_HEADER;
            if (frame.getUnsignedShort(12) != 0x0800 || frame.getUnsignedByte(ip + 9) != 17) {
                continue;
            }
            int udp = ip + (frame.getUnsignedByte(ip) & 0x0f) * 4;
            int udpLength = frame.getUnsignedShort(udp + 4);
            payloads.add(ByteBufs.toArray(frame.slice(udp + UDP_HEADER, udpLength - UDP_HEADER)));
        }
        return payloads;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CaptureTest.class.getResourceAsStream("/captures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
