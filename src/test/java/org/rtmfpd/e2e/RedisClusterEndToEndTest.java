package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rtmfpd.e2e.TestServer.meet;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.cluster.RedisClusterGroup;

/**
 * Cluster mode on a Redis Cluster of the test's own (three primaries, three replicas): clients of two
 * nodes meet. The Redis Cluster is shared by the tests of the class; the failover runs last.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterEndToEndTest {
    @RegisterExtension
    static final RedisClusterGroup REDIS_CLUSTER = new RedisClusterGroup();

    @RegisterExtension
    final ClusterNodes cluster = new ClusterNodes();

    @Test
    @Order(1)
    void clientsOfTwoNodesMeetThroughARedisCluster() throws Exception {
        TestServer one = cluster.node(1, REDIS_CLUSTER.uri());
        TestServer two = cluster.node(2, REDIS_CLUSTER.uri());
        RtmfpClient a = cluster.on(one, TestServer.KEY_A);
        RtmfpClient b = cluster.on(two, TestServer.KEY_A);
        assertEquals(b.identity().peerIdHex(), meet(a, b).peerIdHex());
        assertEquals(a.identity().peerIdHex(), meet(b, a).peerIdHex());
    }

    @Test
    @Order(2)
    void afterTheFailoverOfThePrimaryTheClusterIsWholeAgain() throws Exception {
        Failover.keepsTheClusterWhole(cluster, REDIS_CLUSTER.uri(),
                () -> REDIS_CLUSTER.killPrimaryOf("{" + cluster.namespace + "}", Duration.ofSeconds(30)));
    }
}
