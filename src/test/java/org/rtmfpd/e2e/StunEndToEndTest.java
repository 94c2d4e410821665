package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.client.NatProbe;
import org.rtmfpd.config.ServerConfig;
import org.rtmfpd.nat.NatBehaviour;
import org.rtmfpd.nat.NatClassifier;
import org.rtmfpd.nat.NatVerdict;
import org.rtmfpd.nat.StunAttributes;
import org.rtmfpd.nat.StunDrop;
import org.rtmfpd.nat.StunMessage;
import org.rtmfpd.nat.StunSettings;

/** STUN on the RTMFP port over real UDP on loopback, with and without RFC 5780's second address (127.0.0.2). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StunEndToEndTest {
    @TempDir
    Path dir;

    /** A port free on both 127.0.0.1 and 127.0.0.2, for stun-alternate's PORT2. */
    static int freePortOnBoth() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket a = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
                try (DatagramSocket b = new DatagramSocket(new InetSocketAddress("127.0.0.1", a.getLocalPort()))) {
                    return a.getLocalPort();
                } catch (java.net.BindException taken) {
                    // try another
                }
            }
        }
        throw new IllegalStateException("no port free on both 127.0.0.1 and 127.0.0.2");
    }

    static ServerConfig.Builder withAlternate(int port2) {
        return ServerConfig.builder().stun(StunSettings.DEFAULTS.withAlternate(
                Optional.of(new InetSocketAddress("127.0.0.2", port2))));
    }

    private static StunMessage exchange(DatagramSocket socket, InetSocketAddress to, StunMessage request,
            InetSocketAddress[] from) throws Exception {
        byte[] bytes = request.encode();
        socket.send(new DatagramPacket(bytes, bytes.length, to));
        socket.setSoTimeout(5_000);
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        socket.receive(p);
        from[0] = (InetSocketAddress) p.getSocketAddress();
        return StunMessage.decode(Arrays.copyOf(p.getData(), p.getLength()));
    }

    private static StunMessage binding(StunMessage.Attribute... attributes) {
        List<StunMessage.Attribute> list = new ArrayList<>(List.of(attributes));
        list.add(StunAttributes.software("test"));
        byte[] tid = new byte[12];
        new java.util.Random(7).nextBytes(tid);
        return new StunMessage(StunMessage.BINDING_REQUEST, tid, list);
    }

    @Test
    void theRtmfpPortAnswersStunAndStillServesRtmfp() throws Exception {
        try (TestServer server = new TestServer(dir); DatagramSocket socket = new DatagramSocket(
                new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress[] from = new InetSocketAddress[1];
            StunMessage answer = exchange(socket, server.address, binding(), from);
            assertEquals(StunMessage.BINDING_SUCCESS, answer.type());
            assertEquals(server.address, from[0]);
            assertEquals(socket.getLocalSocketAddress(), StunAttributes.readAddress(
                    answer.attribute(StunAttributes.XOR_MAPPED_ADDRESS).orElseThrow().value(), answer.transactionId()));
            assertEquals("rtmfpd", new String(answer.attribute(StunAttributes.SOFTWARE).orElseThrow().value()));
            assertTrue(answer.attribute(StunAttributes.OTHER_ADDRESS).isEmpty());
            StunMessage refused = exchange(socket, server.address,
                    binding(StunAttributes.changeRequest(StunAttributes.CHANGE_PORT)), from);
            assertEquals(420, StunAttributes.errorCodeOf(refused.attribute(StunAttributes.ERROR_CODE).orElseThrow().value()));
            assertTrue(TestServer.eventually(() -> server.server.metrics().counted("stun_answered") == 2));

            NatVerdict verdict = NatClassifier.classify(new NatProbe(socket, line -> { }).run(server.address));
            assertEquals(List.of("udp: reachable", "nat: none", "mapping: endpoint-independent",
                    "filtering: unknown (" + NatClassifier.NO_ALTERNATE + ")", "hairpinning: yes"),
                    verdict.lines().subList(0, 5));
            assertEquals(NatVerdict.P2p.EXPECTED, verdict.p2p());
            server.connected(TestServer.KEY_A, java.time.Duration.ofSeconds(5), new ArrayList<>()).close();
        }
    }

    @Test
    void behaviourDiscoveryAnswersFromTheSocketTheChangeRequestNames() throws Exception {
        int port2 = freePortOnBoth();
        try (TestServer server = new TestServer(dir, withAlternate(port2));
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int port1 = server.address.getPort();
            InetSocketAddress[] from = new InetSocketAddress[1];
            StunMessage first = exchange(socket, server.address, binding(), from);
            assertEquals(new InetSocketAddress("127.0.0.2", port2),
                    StunAttributes.readAddress(first.attribute(StunAttributes.OTHER_ADDRESS).orElseThrow().value(), null));
            assertEquals(server.address,
                    StunAttributes.readAddress(first.attribute(StunAttributes.RESPONSE_ORIGIN).orElseThrow().value(), null));
            int both = StunAttributes.CHANGE_IP | StunAttributes.CHANGE_PORT;
            exchange(socket, server.address, binding(StunAttributes.changeRequest(both)), from);
            assertEquals(new InetSocketAddress("127.0.0.2", port2), from[0]);
            exchange(socket, server.address, binding(StunAttributes.changeRequest(StunAttributes.CHANGE_PORT)), from);
            assertEquals(new InetSocketAddress("127.0.0.1", port2), from[0]);
            exchange(socket, new InetSocketAddress("127.0.0.2", port1), binding(), from);
            assertEquals(new InetSocketAddress("127.0.0.2", port1), from[0]);

            byte[] junk = new byte[64];
            socket.send(new DatagramPacket(junk, junk.length, new InetSocketAddress("127.0.0.2", port2)));
            assertTrue(TestServer.eventually(
                    () -> server.server.metrics().dropped(StunDrop.NOT_STUN_ON_ALTERNATE.label()) == 1));

            List<String> steps = new ArrayList<>();
            NatVerdict verdict = NatClassifier.classify(new NatProbe(socket, steps::add).run(server.address));
            assertEquals(Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT), verdict.mapping(), steps.toString());
            assertEquals(Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT), verdict.filtering(), steps.toString());
            assertEquals("p2p with common home routers: expected", verdict.lines().get(verdict.lines().size() - 1));
        }
    }

    @Test
    void ipv6LoopbackIsAnsweredToo() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("keys"), "k\n");
        ServerConfig config = ServerConfig.builder().addListen(new InetSocketAddress("::1", 0))
                .developerKeys(dir.resolve("keys")).build();
        try (org.rtmfpd.server.RtmfpServer server = org.rtmfpd.server.RtmfpServer.start(config,
                org.rtmfpd.rendezvous.DeveloperKeyStore.load(dir.resolve("keys")));
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress("::1", 0))) {
            InetSocketAddress[] from = new InetSocketAddress[1];
            StunMessage answer = exchange(socket, server.localAddresses().get(0), binding(), from);
            assertEquals(socket.getLocalSocketAddress(), StunAttributes.readAddress(
                    answer.attribute(StunAttributes.XOR_MAPPED_ADDRESS).orElseThrow().value(), answer.transactionId()));
            assertTrue(InetAddress.getByName("::1").equals(from[0].getAddress()));
        }
    }

    @Test
    void noStunLeavesStunToRtmfpWhichDropsIt() throws Exception {
        ServerConfig.Builder b = ServerConfig.builder().stun(StunSettings.DEFAULTS.withEnabled(false));
        try (TestServer server = new TestServer(dir, b); DatagramSocket socket = new DatagramSocket(
                new InetSocketAddress("127.0.0.1", 0))) {
            byte[] bytes = binding().encode();
            socket.send(new DatagramPacket(bytes, bytes.length, server.address));
            socket.setSoTimeout(300);
            try {
                socket.receive(new DatagramPacket(new byte[2048], 2048));
                throw new AssertionError("answered with STUN off");
            } catch (SocketTimeoutException expected) {
                // silence
            }
            assertEquals(0, server.server.metrics().counted("stun_answered"));
            assertTrue(TestServer.eventually(() -> server.server.metrics().dropped("unknown_session")
                    + server.server.metrics().dropped("bad_startup_packet") == 1), server.server.metrics().render());
        }
    }
}
