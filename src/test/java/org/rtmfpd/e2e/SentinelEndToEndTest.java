package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rtmfpd.e2e.TestServer.meet;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.cluster.RedisConnection;
import org.rtmfpd.cluster.SentinelGroup;

/**
 * Cluster mode on a Sentinel group of the test's own (a primary, a replica, three sentinels): every
 * spelling of the {@code redis-sentinel://} URI reaches the primary, and clients of two nodes meet.
 * The group is shared by the tests of the class; the failover, which uses it up, runs last.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelEndToEndTest {
    @RegisterExtension
    static final SentinelGroup SENTINELS = new SentinelGroup();

    @RegisterExtension
    final ClusterNodes cluster = new ClusterNodes();

    @Test
    @Order(1)
    void everySpellingOfTheMasterNameReachesThePrimary() {
        String hash = SENTINELS.uri(false);
        for (String uri : List.of(SENTINELS.uri(true), hash, hash.replace("#", "/0#"))) {
            try (RedisConnection c = RedisConnection.open(uri, Optional.empty(), Duration.ofSeconds(5))) {
                assertEquals("master", String.valueOf(c.commands().role().toCompletableFuture().join().get(0)), uri);
            }
        }
    }

    @Test
    @Order(2)
    void clientsOfTwoNodesMeetThroughTheSentinelsPrimary() throws Exception {
        TestServer one = cluster.node(1, SENTINELS.uri(false));
        TestServer two = cluster.node(2, SENTINELS.uri(true));
        RtmfpClient a = cluster.on(one, TestServer.KEY_A);
        RtmfpClient b = cluster.on(two, TestServer.KEY_A);
        assertEquals(b.identity().peerIdHex(), meet(a, b).peerIdHex());
        assertEquals(a.identity().peerIdHex(), meet(b, a).peerIdHex());
    }

    @Test
    @Order(3)
    void afterTheFailoverOfThePrimaryTheClusterIsWholeAgain() throws Exception {
        Failover.keepsTheClusterWhole(cluster, SENTINELS.uri(false),
                () -> SENTINELS.awaitPromotion(SENTINELS.killPrimary(), Duration.ofSeconds(30)));
    }
}
