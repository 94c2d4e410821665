package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.e2e.TestServer.eventually;
import static org.rtmfpd.e2e.TestServer.meet;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.cluster.RedisTestServer;

/**
 * Load-aware redirects (RFC 7016 §3.5.1.4, §3.5.1.7) between two nodes over real UDP: a new client of a
 * full or draining node is sent, by a Redirect, to the other node, and the project's client follows it
 * there; connected clients stay where they are.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedirectEndToEndTest {
    @RegisterExtension
    static final RedisTestServer REDIS = new RedisTestServer();

    @RegisterExtension
    final ClusterNodes cluster = new ClusterNodes();

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Waits until {@code node}'s last heartbeat saw {@code n} live nodes (their loads with them). */
    private static void sees(TestServer node, int n) throws InterruptedException {
        assertTrue(eventually(() -> node.server.metrics().render().contains("rtmfpd_cluster_nodes " + n)),
                "the node sees " + n + " live nodes");
    }

    /** A new client that connects with the URL of {@code node}; answers its connect's info. */
    private Map<String, Object> newClientOf(TestServer node, List<RtmfpClient> owned) throws Exception {
        RtmfpClient client = RtmfpClient.open(ClientIdentity.generate(RANDOM), ClientSettings.FLASH_LIKE);
        owned.add(client);
        return client.connect(node.url(TestServer.KEY_A)).get(15, TimeUnit.SECONDS);
    }

    @Test
    void aFullNodeSendsANewClientToTheOtherNode() throws Exception {
        TestServer one = cluster.node(1, REDIS.uri(), b -> b.maxSessions(1));
        TestServer two = cluster.node(2, REDIS.uri());
        RtmfpClient first = cluster.on(one, TestServer.KEY_A);
        sees(one, 2);
        Map<String, Object> info = newClientOf(one, cluster.clients);
        assertEquals("NetConnection.Connect.Success", info.get("code"), info.toString());
        assertEquals(1, one.sessions(), "node 1 is full and kept only its client");
        assertEquals(1, two.sessions(), "the second client followed the Redirect to node 2");
        assertTrue(one.server.metrics().counted("redirected") >= 1, "node 1 redirected (each IHello repeated too)");
        RtmfpClient second = cluster.clients.get(cluster.clients.size() - 1);
        second.setPeerInfo(List.of(second.localAddress())).get(10, TimeUnit.SECONDS);
        assertEquals(second.identity().peerIdHex(), meet(first, second).peerIdHex(), "and they meet across nodes");
    }

    @Test
    void aDrainingNodeSendsNewClientsAwayKeepsItsOwnAndIsDrainedWhenTheyLeave() throws Exception {
        TestServer one = cluster.node(1, REDIS.uri());
        TestServer two = cluster.node(2, REDIS.uri());
        RtmfpClient staying = cluster.on(one, TestServer.KEY_A);
        one.server.drain();
        assertTrue(eventually(() -> two.server.metrics().render().contains("rtmfpd_cluster_nodes 2")));
        sees(one, 2);
        for (int i = 0; i < 2; i++) {
            Map<String, Object> info = newClientOf(one, cluster.clients);
            assertEquals("NetConnection.Connect.Success", info.get("code"), info.toString());
        }
        assertEquals(1, one.sessions(), "only the client connected before the drain");
        assertEquals(2, two.sessions(), "new clients went to node 2");
        RtmfpClient there = cluster.on(two, TestServer.KEY_A);
        assertEquals(staying.identity().peerIdHex(), meet(there, staying).peerIdHex(),
                "the client of the draining node is still introduced");
        assertFalse(one.server.awaitDrained(0, () -> false), "not drained while a client stays");
        staying.close();
        assertTrue(one.server.awaitDrained(10_000, () -> false), "drained once its client left");
    }
}
