package org.rtmfpd.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.CookieJar;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.handshake.EphemeralKeys;
import org.rtmfpd.handshake.InitiatorKeying;
import org.rtmfpd.handshake.ResponderKeying;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.session.SessionSettings;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.IHello;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.Packet;
import org.rtmfpd.wire.RHello;
import org.rtmfpd.wire.RIKeying;

/**
 * The handshake of librtmfp, a client library modelled on Flash Player, as it reached rtmfpd on loopback
 * (captures/librtmfp-handshake.txt), and the checks librtmfp makes on the answers: flags {@code 0b},
 * a 16-byte tag echo, a 64-byte cookie, and an SKRC that starts {@code 03 1a 00 00 02 1e 00 81 02 0d 02}.
 */
class LibrtmfpHandshakeTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 60547);
    /** What librtmfp requires at the start of the SKRC (its FlowManager), as Stratus sent it. */
    private static final byte[] STRATUS_SKRC_START = HexFormat.of().parseHex("031a0000021e0081020d02");

    private final long[] now = {5_000_000};
    private final List<byte[]> sent = new ArrayList<>();
    private final List<Runnable> keying = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private final List<DhGroup> groups = List.of(DhGroup.GROUP_2, DhGroup.GROUP_5, DhGroup.GROUP_14);
    private final Dispatcher dispatcher = new Dispatcher(Certificate.ephemeral(groups, new byte[64]),
            new CookieJar(random, () -> now[0]), new ResponderKeying(groups, new EphemeralKeys(random, () -> now[0], 60_000)),
            16, SessionSettings.DEFAULT, (to, d) -> sent.add(d), () -> now[0], keying::add, Runnable::run,
            new RecordingApplication(), new ServerMetrics());

    private static List<byte[]> capture() throws IOException {
        try (InputStream in = LibrtmfpHandshakeTest.class.getResourceAsStream("/captures/librtmfp-handshake.txt")) {
            List<byte[]> datagrams = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    datagrams.add(HexFormat.of().parseHex(line.split(" ")[1].trim()));
                }
            }
            return datagrams;
        }
    }

    private static Packet open(byte[] datagram) {
        return Datagrams.decode(datagram, PacketCipher.DEFAULT).packet();
    }

    @Test
    void theRecordedAnswersAreTheOnesLibrtmfpAccepts() throws IOException {
        List<byte[]> datagrams = capture();
        Packet rhelloPacket = open(datagrams.get(1));
        assertEquals(0x0b, rhelloPacket.flags());
        RHello rhello = assertInstanceOf(RHello.class, rhelloPacket.chunks().get(0));
        assertEquals(64, rhello.cookie().length);
        assertEquals(77, rhello.certificate().length, "Stratus's certificate length");
        RIKeying riKeying = assertInstanceOf(RIKeying.class, open(datagrams.get(3)).chunks().get(0));
        assertArrayEquals(STRATUS_SKRC_START, Arrays.copyOf(riKeying.skrc(), STRATUS_SKRC_START.length));
        assertArrayEquals(new byte[] {0x58}, riKeying.signature());
    }

    @Test
    void librtmfpsShortIHelloIsAnsweredAsLibrtmfpRequires() throws IOException {
        byte[] ihello = capture().get(0);
        assertEquals(52, ihello.length, "librtmfp's EPD holds only the key: an IHello below a third of the RHello");
        IHello hello = assertInstanceOf(IHello.class, open(ihello).chunks().get(0));
        dispatcher.onDatagram(CLIENT, ihello);
        assertEquals(1, sent.size());
        Packet answer = open(sent.get(0));
        assertEquals(0x0b, answer.flags());
        RHello rhello = assertInstanceOf(RHello.class, answer.chunks().get(0));
        assertArrayEquals(hello.tag(), rhello.tagEcho());
        assertEquals(16, rhello.tagEcho().length);
        assertEquals(64, rhello.cookie().length);
    }

    @Test
    void librtmfpsKeyingIsAcceptedAndAnsweredWithStratussSkrc() throws IOException {
        List<byte[]> datagrams = capture();
        IIKeying recorded = assertInstanceOf(IIKeying.class, open(datagrams.get(2)).chunks().get(0));
        assertTrue(InitiatorKeying.check(recorded, groups) instanceof InitiatorKeying.Accepted);
        dispatcher.onDatagram(CLIENT, datagrams.get(0));
        RHello rhello = (RHello) open(sent.remove(0)).chunks().get(0);
        IIKeying fresh = new IIKeying(recorded.initiatorSessionId(), rhello.cookie(), recorded.certificate(),
                recorded.skic(), recorded.signature());
        dispatcher.onDatagram(CLIENT, encode(fresh));
        keying.forEach(Runnable::run);
        Packet answer = open(sent.get(0));
        assertEquals(recorded.initiatorSessionId(), Datagrams.sessionId(sent.get(0)), "sent to librtmfp's session ID");
        RIKeying riKeying = assertInstanceOf(RIKeying.class, answer.chunks().get(0));
        assertArrayEquals(STRATUS_SKRC_START, Arrays.copyOf(riKeying.skrc(), STRATUS_SKRC_START.length));
        assertEquals(11 + 128, riKeying.skrc().length, "a full-length key at the offset librtmfp reads it from");
    }

    private static byte[] encode(Chunk chunk) {
        return Datagrams.encode(0, PacketCipher.DEFAULT, 0, new Packet(Packet.TS | Packet.MODE_STARTUP, 0, Packet.ABSENT,
                List.of(chunk)));
    }
}
