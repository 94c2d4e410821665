package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.e2e.TestServer.eventually;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.client.RtmfpClient;

/** The server as a client sees it, over real UDP sockets on 127.0.0.1: connect, reject, ping, close, loss, idle. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerEndToEndTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long WAIT = 10;

    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static RtmfpClient client(ClientSettings settings) {
        return RtmfpClient.open(ClientIdentity.generate(RANDOM), settings.withOpenTimeout(Duration.ofSeconds(5)));
    }

    @ParameterizedTest(name = "HMAC and sequence numbers required: {0}")
    @ValueSource(booleans = {false, true})
    void knownKeyConnectsAndGetsItsPeerIdAsConnectionId(boolean hmacAndSequence) throws Exception {
        ClientSettings settings = hmacAndSequence ? ClientSettings.HMAC_SSEQ_REQUIRED : ClientSettings.FLASH_LIKE;
        try (RtmfpClient client = client(settings)) {
            Map<String, Object> info = client.connect(server.url(TestServer.KEY_A)).get(WAIT, TimeUnit.SECONDS);
            assertEquals("NetConnection.Connect.Success", info.get("code"));
            assertEquals(client.identity().peerIdHex(), info.get("connectionID"));
            assertEquals(1, server.sessions());
        }
    }

    @Test
    void unknownKeyIsRejectedWithAClearReasonAndTheSessionIsClosed() throws Exception {
        try (RtmfpClient client = client(ClientSettings.FLASH_LIKE)) {
            Map<String, Object> info = client.connect(server.url("not-a-key")).get(WAIT, TimeUnit.SECONDS);
            assertEquals("NetConnection.Connect.Rejected", info.get("code"));
            assertTrue(String.valueOf(info.get("description")).contains("'not-a-key' is not known"), info.toString());
            assertTrue(eventually(() -> sessions() == 0), "the server closes a rejected session");
            assertEquals(1, server.refused("connect_rejected"));
        }
    }

    @Test
    void createStreamGetsAStreamIdAndAnUnknownCallFailsWithCallFailed() throws Exception {
        try (RtmfpClient client = client(ClientSettings.FLASH_LIKE)) {
            client.connect(server.url(TestServer.KEY_A)).get(WAIT, TimeUnit.SECONDS);
            assertEquals(1.0, client.call("createStream").get(WAIT, TimeUnit.SECONDS));
            assertEquals(2.0, client.call("createStream").get(WAIT, TimeUnit.SECONDS));
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> client.call("noSuchMethod", "x").get(WAIT, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getMessage().contains("NetConnection.Call.Failed"), failed.toString());
            assertTrue(failed.getCause().getMessage().contains("noSuchMethod"), failed.toString());
        }
    }

    @Test
    void pingIsAnswered() throws Exception {
        try (RtmfpClient client = client(ClientSettings.FLASH_LIKE)) {
            client.connect(server.url(TestServer.KEY_A)).get(WAIT, TimeUnit.SECONDS);
            Duration rtt = client.ping().get(WAIT, TimeUnit.SECONDS);
            assertTrue(!rtt.isNegative() && rtt.toMillis() < 5_000, rtt.toString());
        }
    }

    @Test
    void closeFromTheClientEndsTheServersSession() throws Exception {
        RtmfpClient client = client(ClientSettings.FLASH_LIKE);
        client.connect(server.url(TestServer.KEY_A)).get(WAIT, TimeUnit.SECONDS);
        assertEquals(1, server.sessions());
        client.close();
        assertTrue(eventually(() -> sessions() == 0 || closingOnly()), "server session closed");
        assertTrue(eventually(() -> server.server.metrics().render().contains("rtmfpd_sessions_closed_total 1")));
    }

    @Test
    void connectSurvivesLostServerPacketsByRetransmission() throws Exception {
        // drop the first two datagrams from the server after the RHello and RIKeying: the _result
        // and whatever follows must be retransmitted
        try (LossyRelay relay = new LossyRelay(server.address, i -> i == 2 || i == 3);
             RtmfpClient client = client(ClientSettings.FLASH_LIKE)) {
            Map<String, Object> info = client.connect("rtmfp://127.0.0.1:" + relay.port() + "/" + TestServer.KEY_A)
                    .get(30, TimeUnit.SECONDS);
            assertEquals("NetConnection.Connect.Success", info.get("code"));
            assertTrue(relay.dropped() >= 1, "packets were dropped");
        }
    }

    /**
     * A client that vanishes without a word (its packets stop, as when its process is killed) is gone from
     * the server and the registry after three of its keepalive periods (15 s each by default: 45 s).
     */
    @Test
    void silentClientIsDroppedAfterThreeKeepalivePeriods() throws Exception {
        try (LossyRelay relay = new LossyRelay(server.address, i -> false);
             RtmfpClient client = client(ClientSettings.FLASH_LIKE)) {
            client.connect("rtmfp://127.0.0.1:" + relay.port() + "/" + TestServer.KEY_A).get(WAIT, TimeUnit.SECONDS);
            assertTrue(eventually(() -> registeredPeers() == 1));
            relay.cut();
            server.clockOffset.addAndGet(40_000);
            Thread.sleep(300);
            assertEquals(1, server.sessions(), "still open after 40 s of silence");
            // a packet the relay had already taken in when it was cut may still reach the server after the
            // first step, so the second step alone is longer than the bound
            server.clockOffset.addAndGet(46_000);
            assertTrue(eventually(() -> sessions() == 0 && registeredPeers() == 0),
                    () -> "closed after 45 s of silence; metrics:\n" + server.server.metrics().render());
        }
    }

    private long registeredPeers() {
        for (String line : server.server.metrics().render().split("\n")) {
            if (line.startsWith("rtmfpd_registered_peers ")) {
                return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError("no rtmfpd_registered_peers gauge");
    }

    private int sessions() {
        try {
            return server.sessions();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean closingOnly() {
        return server.server.metrics().render().contains("rtmfpd_sessions_closed_total 1");
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }
}
