package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.e2e.TestServer.meet;
import static org.rtmfpd.e2e.TestServer.refused;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.rtmfpd.client.GroupMembership;
import org.rtmfpd.client.RtmfpClient;

/**
 * The failover of a Redis primary under two rtmfpd nodes: before it, clients of both nodes meet, fill a
 * target's peer cap and share a NetGroup; the primary is killed (kill -9) and its replica promoted;
 * meanwhile each node serves its own clients; after it, without a restart of either node, the peers,
 * the peer-cap ledger and the NetGroup are whole again.
 */
final class Failover {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long WAIT_SECONDS = 15;

    /** What the test does to kill the primary and wait for the promotion. */
    interface Promotion {
        void run() throws Exception;
    }

    private Failover() {
    }

    static void keepsTheClusterWhole(ClusterNodes cluster, String uri, Promotion failover) throws Exception {
        TestServer one = cluster.node(1, uri);
        TestServer two = cluster.node(2, uri);
        RtmfpClient target = cluster.on(one, TestServer.KEY_A);
        List<RtmfpClient> initiators = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RtmfpClient c = cluster.on(i % 2 == 0 ? two : one, TestServer.KEY_A);
            meet(c, target);
            initiators.add(c);
        }
        byte[] group = new byte[32];
        RANDOM.nextBytes(group);
        RtmfpClient member = cluster.on(one, TestServer.KEY_A);
        member.joinGroup(group).get(WAIT_SECONDS, TimeUnit.SECONDS);
        long oneBefore = republishes(one);
        long twoBefore = republishes(two);

        long killed = System.nanoTime();
        failover.run();
        long promoted = System.nanoTime();
        long introduced = untilIntroduced(cluster, two, member);
        System.err.printf("failover: replica promoted %d ms after the kill; cross-node introductions failed for %d ms%n",
                (promoted - killed) / 1_000_000, (introduced - killed) / 1_000_000);
        for (TestServer node : List.of(one, two)) {
            RtmfpClient a = cluster.on(node, TestServer.KEY_A);
            RtmfpClient b = cluster.on(node, TestServer.KEY_A);
            assertEquals(b.identity().peerIdHex(), meet(a, b).peerIdHex(), "each node serves its own clients");
        }
        assertTrue(within(30, () -> ClusterNodes.storeUp(one) && republishes(one) > oneBefore
                && ClusterNodes.storeUp(two) && republishes(two) > twoBefore),
                "both nodes back in the cluster, their state published again, without a restart");
        // the pairs are recorded again at the republish and at the heartbeat after it (a quarter lifetime)
        Thread.sleep(ClusterNodes.NODE_LIFETIME_MS / 2);

        boolean handed = within(30, () -> memberHandedOut(cluster, two, group, member));
        if (!handed) {
            String m1 = one.server.metrics().render().lines().filter(l -> l.startsWith("rtmfpd_cluster")).toList().toString();
            String m2 = two.server.metrics().render().lines().filter(l -> l.startsWith("rtmfpd_cluster")).toList().toString();
            boolean reach = !refused(cluster.on(two, TestServer.KEY_A), member);
            throw new AssertionError("the NetGroup kept its member of node 1; node 1 " + m1 + " node 2 " + m2
                    + " member reachable from node 2: " + reach);
        }
        assertEquals(target.identity().peerIdHex(), meet(initiators.get(0), target).peerIdHex(),
                "a pair made before is still allowed, across nodes");
        long capRefusals = two.refused("introduction_target_cap");
        RtmfpClient sixth = cluster.on(two, TestServer.KEY_A);
        assertTrue(refused(sixth, target) && two.refused("introduction_target_cap") > capRefusals,
                "the ledger holds the target's five pairs again: a sixth initiator is refused at the target's cap");
    }

    /**
     * When a new client of {@code node} is first introduced to {@code target} of the other node again
     * (each try waits two seconds at most, as a client's retries would).
     */
    private static long untilIntroduced(ClusterNodes cluster, TestServer node, RtmfpClient target) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            RtmfpClient c = cluster.on(node, TestServer.KEY_A);
            try {
                c.connectToPeer(target.identity().peerId()).get(2, TimeUnit.SECONDS);
                return System.nanoTime();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                c.close(); // the next try is a new client: this one may yet be introduced
            }
        }
        throw new AssertionError("no cross-node introduction within 60 s of the failover");
    }

    /** Whether a new client of {@code node} joining {@code group} is handed {@code member}. */
    private static boolean memberHandedOut(ClusterNodes cluster, TestServer node, byte[] group, RtmfpClient member) {
        try {
            RtmfpClient late = cluster.on(node, TestServer.KEY_A);
            GroupMembership joined = late.joinGroup(group).get(WAIT_SECONDS, TimeUnit.SECONDS);
            return TestServer.eventually(() -> joined.members().stream().map(HexFormat.of()::formatHex)
                    .anyMatch(member.identity().peerIdHex()::equals));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static boolean within(int seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    static long republishes(TestServer node) {
        for (String line : node.server.metrics().render().split("\n")) {
            if (line.startsWith("rtmfpd_cluster_republishes ")) {
                return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        return 0;
    }
}
