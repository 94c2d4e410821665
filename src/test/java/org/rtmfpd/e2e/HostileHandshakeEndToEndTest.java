package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.e2e.TestServer.eventually;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.EndpointDiscriminator;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.handshake.KeyingRefusal;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.IHello;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.Packet;
import org.rtmfpd.wire.RHello;

/**
 * Malformed handshakes sent over real UDP sockets to a running server, as anyone who can reach its port
 * could send them: they are refused, hold nothing, and a normal client still connects afterwards.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileHandshakeEndToEndTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** More than the default DH queue limit (16), which these once filled for good. */
    private static final int ATTACKS = 40;

    @TempDir
    Path dir;

    private static byte[] startup(Chunk chunk) {
        Packet packet = new Packet(Packet.TS | Packet.MODE_STARTUP, 0, Packet.ABSENT, List.of(chunk));
        return Datagrams.encode(0, PacketCipher.DEFAULT, 0, packet);
    }

    @Test
    void iiKeyingsWithAnEmptyGroupSelectHoldNoKeyingSlotAndANormalClientStillConnects() throws Exception {
        try (TestServer server = new TestServer(dir)) {
            byte[] certificate = Certificate.staticKeys(List.of(DhGroup.GROUP_2.generateKeyPair(RANDOM))).encoded();
            byte[] emptyGroupSelect = {0x01, 0x1d};
            for (int i = 0; i < ATTACKS; i++) {
                // Each from its own loopback address, as many attackers would be: one source alone is
                // held back sooner by the per-source limits.
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.2." + (i + 1), 0))) {
                    socket.setSoTimeout(5_000);
                    byte[] hello = startup(new IHello(EndpointDiscriminator.ofAncillaryData(server.url(TestServer.KEY_A)),
                            new byte[16]));
                    socket.send(new DatagramPacket(hello, hello.length, server.address));
                    DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
                    socket.receive(answer);
                    byte[] datagram = Arrays.copyOf(answer.getData(), answer.getLength());
                    RHello rhello = assertInstanceOf(RHello.class,
                            Datagrams.decode(datagram, PacketCipher.DEFAULT).packet().chunks().get(0));
                    assertEquals(64, rhello.cookie().length, "Stratus-sized cookie");
                    byte[] keying = startup(new IIKeying(1000 + i, rhello.cookie(), certificate, emptyGroupSelect,
                            new byte[] {0x58}));
                    socket.send(new DatagramPacket(keying, keying.length, server.address));
                }
            }
            assertTrue(eventually(() -> server.refused(KeyingRefusal.SKIC_MALFORMED.label()) == ATTACKS),
                    "every malformed IIKeying is refused and counted");
            assertTrue(eventually(() -> keyingQueueOrMinusOne(server) == 0), "the keying queue gauge is back at 0");
            try (RtmfpClient client = RtmfpClient.open(ClientIdentity.generate(RANDOM),
                    ClientSettings.FLASH_LIKE.withOpenTimeout(Duration.ofSeconds(5)))) {
                Map<String, Object> info = client.connect(server.url(TestServer.KEY_A)).get(10, TimeUnit.SECONDS);
                assertEquals("NetConnection.Connect.Success", info.get("code"));
            }
        }
    }

    private static int keyingQueueOrMinusOne(TestServer server) {
        try {
            return keyingQueue(server);
        } catch (Exception e) {
            return -1;
        }
    }

    private static int keyingQueue(TestServer server) throws Exception {
        String text = server.server.metrics().render();
        for (String line : text.split("\n")) {
            if (line.startsWith("rtmfpd_keying_queue ")) {
                return (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError("no rtmfpd_keying_queue gauge in\n" + text);
    }
}
