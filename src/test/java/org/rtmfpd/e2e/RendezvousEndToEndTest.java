package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.e2e.TestServer.eventually;
import static org.rtmfpd.e2e.TestServer.meet;
import static org.rtmfpd.e2e.TestServer.refused;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.client.GroupMembership;
import org.rtmfpd.client.PeerSession;
import org.rtmfpd.client.RtmfpClient;

/** Peers meeting through the server over real UDP on 127.0.0.1: introductions, the peer cap, keys, NetGroups. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RendezvousEndToEndTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long WAIT = 15;
    /** How long an initiator waits for a peer that the server will not introduce. */
    private static final Duration REFUSED_WAIT = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    TestServer server;
    final List<RtmfpClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(dir);
    }

    @AfterEach
    void stop() {
        clients.forEach(RtmfpClient::close);
        server.close();
    }

    private RtmfpClient connected(String key, Duration openTimeout) throws Exception {
        return server.connected(key, openTimeout, clients);
    }

    private RtmfpClient connected(String key) throws Exception {
        return connected(key, Duration.ofSeconds(10));
    }

    @Test
    void twoPeersMeetByPeerId() throws Exception {
        RtmfpClient a = connected(TestServer.KEY_A);
        RtmfpClient b = connected(TestServer.KEY_A);
        PeerSession session = meet(a, b);
        assertEquals(b.identity().peerIdHex(), session.peerIdHex());
        assertEquals(b.localAddress().getPort(), session.address().getPort());
        assertTrue(session.initiatedHere());
        assertTrue(eventually(() -> b.peers().join().stream().anyMatch(p -> !p.initiatedHere())),
                "the target holds the session too");
    }

    @Test
    void sixthInitiatorIsRefusedAtTheDefaultCapUntilOneOfTheFirstFiveLeaves() throws Exception {
        RtmfpClient target = connected(TestServer.KEY_A);
        List<RtmfpClient> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RtmfpClient initiator = connected(TestServer.KEY_A);
            meet(initiator, target);
            first.add(initiator);
        }
        RtmfpClient sixth = connected(TestServer.KEY_A, REFUSED_WAIT);
        assertTrue(refused(sixth, target), "the sixth distinct initiator is refused");
        assertTrue(server.refused("introduction_target_cap") >= 1);
        first.get(0).close();
        assertTrue(eventually(() -> server.server.metrics().render().contains("rtmfpd_sessions_closed_total 1")));
        assertEquals(target.identity().peerIdHex(), meet(sixth, target).peerIdHex(), "a slot freed up");
    }

    @Test
    void peerCapOf50FromTheKeysFileIsHonoured() throws Exception {
        RtmfpClient target = connected(TestServer.KEY_CAP_50);
        for (int i = 0; i < 50; i++) {
            meet(connected(TestServer.KEY_CAP_50), target);
        }
        RtmfpClient extra = connected(TestServer.KEY_CAP_50, REFUSED_WAIT);
        assertTrue(refused(extra, target), "the 51st is refused");
    }

    @Test
    void peersOfTwoKeysNeverMeet() throws Exception {
        RtmfpClient a = connected(TestServer.KEY_A, REFUSED_WAIT);
        RtmfpClient b = connected(TestServer.KEY_B, REFUSED_WAIT);
        assertTrue(refused(a, b));
        assertTrue(refused(b, a));
        assertTrue(server.refused("introduction_other_developer_key") >= 2);
    }

    @Test
    void netGroupOf20GivesEachJoinerAtMost5MembersNeverItselfNeverADepartedOne() throws Exception {
        byte[] group = new byte[32];
        RANDOM.nextBytes(group);
        List<RtmfpClient> members = new ArrayList<>();
        List<String> departed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RtmfpClient joiner = connected(TestServer.KEY_A);
            GroupMembership membership = joiner.joinGroup(group).get(WAIT, TimeUnit.SECONDS);
            int expected = Math.min(members.size(), 5);
            assertTrue(eventually(() -> membership.members().size() >= expected),
                    "joiner " + i + " got " + membership.members().size() + " of " + expected + " members");
            List<String> ids = hex(membership.members());
            assertTrue(ids.size() <= 5, "at most the peer cap: " + ids.size());
            assertFalse(ids.contains(joiner.identity().peerIdHex()), "never itself");
            for (String gone : departed) {
                assertFalse(ids.contains(gone), "never a departed member");
            }
            members.add(joiner);
            if (i % 5 == 4) {
                RtmfpClient leaver = members.remove(members.size() - 1);
                departed.add(leaver.identity().peerIdHex());
                leaver.close();
                assertTrue(eventually(() -> server.server.metrics().render()
                        .contains("rtmfpd_sessions_closed_total " + departed.size())));
            }
        }
    }

    private static List<String> hex(List<byte[]> ids) {
        List<String> out = new ArrayList<>();
        for (byte[] id : ids) {
            out.add(HexFormat.of().formatHex(id));
        }
        return out;
    }

    @Test
    void unknownPeerIdGetsNoAnswer() throws Exception {
        RtmfpClient a = connected(TestServer.KEY_A, REFUSED_WAIT);
        byte[] nobody = new byte[32];
        Arrays.fill(nobody, (byte) 7);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> a.connectToPeer(nobody).get(WAIT, TimeUnit.SECONDS));
        assertTrue(server.refused("introduction_unknown_target") >= 1, e.toString());
    }
}
