package org.rtmfpd.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Netty edge over real loopback UDP, against the mini server. */
class RtmfpClientTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void connectPingCallMeetAPeerAndClose() throws Exception {
        ClientIdentity alice = ClientIdentity.generate(RANDOM);
        ClientIdentity bob = ClientIdentity.generate(RANDOM);
        List<PeerSession> cameToAlice = new CopyOnWriteArrayList<>();
        ClientListener aliceEvents = new ClientListener() {
            @Override
            public void onPeerSession(PeerSession peer) {
                cameToAlice.add(peer);
            }
        };
        try (UdpMiniServer server = new UdpMiniServer(null);
             RtmfpClient a = RtmfpClient.open(alice, ClientSettings.FLASH_LIKE, LOOPBACK, aliceEvents);
             RtmfpClient b = RtmfpClient.open(bob, ClientSettings.HMAC_SSEQ_REQUIRED, LOOPBACK, null)) {
            assertEquals("NetConnection.Connect.Success", get(a.connect(server.url(MiniServer.KEY))).get("code"));
            assertEquals("NetConnection.Connect.Success", get(b.connect(server.url(MiniServer.KEY))).get("code"));
            get(a.setPeerInfo(List.of(a.localAddress())));
            Duration rtt = get(a.ping());
            assertTrue(rtt.toMillis() < 5_000);
            assertEquals(4.0, get(b.call("echo", 4.0)));
            ExecutionException failed = assertThrows(ExecutionException.class, () -> get(b.call("nothing")));
            assertEquals(RtmfpException.Reason.CALL_FAILED, assertInstanceOf(RtmfpException.class, failed.getCause()).reason());

            PeerSession atBob = get(b.connectToPeer(alice.peerId()));
            assertArrayEquals(alice.peerId(), atBob.peerId());
            assertEquals(a.localAddress().getPort(), atBob.address().getPort());
            for (int i = 0; i < 100 && cameToAlice.isEmpty(); i++) {
                Thread.sleep(10);
            }
            assertArrayEquals(bob.peerId(), cameToAlice.get(0).peerId());
            assertEquals(1, get(a.peers()).size());

            a.closeAsync().get(5, TimeUnit.SECONDS);
            ExecutionException closed = assertThrows(ExecutionException.class, () -> get(a.ping()));
            assertEquals(RtmfpException.Reason.CLOSED, ((RtmfpException) closed.getCause()).reason());
        }
    }

    @Test
    void urlsThatAreNotRtmfpAreRefused() {
        try (RtmfpClient a = RtmfpClient.open(ClientIdentity.generate(RANDOM), ClientSettings.FLASH_LIKE, LOOPBACK, null)) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> get(a.connect("http://127.0.0.1/K")));
            assertInstanceOf(IllegalArgumentException.class, failed.getCause());
        }
    }
}
