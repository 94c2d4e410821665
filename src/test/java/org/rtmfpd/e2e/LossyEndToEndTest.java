package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.client.GroupMembership;
import org.rtmfpd.client.PeerSession;
import org.rtmfpd.client.RtmfpClient;

/**
 * Connect, setPeerInfo, an introduction by peer ID and a NetGroup join over real UDP on 127.0.0.1,
 * every client behind its own {@link LossyRelay}: 30 % of the datagrams lost each way, 10 % held behind
 * the next one, 10 % duplicated, all drawn from a seed. Everything must complete on the RFC's own
 * timers (RFC 7016: IHello repeated after 1 s, then 1.5 s more each time; data retransmitted after an
 * ERTO of 3 s backed off by √2 up to 10 s; a client gives up opening after 95 s), well within that.
 * One seed runs in the build; {@code -Drtmfpd.lossSeeds=1,2,3,4,5} runs others (docs/testing.md gives
 * the times measured). Each step's time goes to standard output.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LossyEndToEndTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final double LOSS = 0.30;
    private static final double REORDER = 0.10;
    private static final double DUPLICATE = 0.10;
    /** The RFC's open timeout: a step that has not completed by then has failed. */
    private static final long GIVE_UP_SECONDS = 95;

    /**
     * Server and clients run their timers on one clock four times as fast as real time: the RFC's
     * timers are kept in protocol time and the test waits a quarter of it. Times reported are protocol
     * time.
     */
    private static final long WARP = 4;
    /** Real seconds to wait for a future: the give-up time in warped time, and some slack. */
    private static final long WAIT = GIVE_UP_SECONDS / WARP + 5;

    @TempDir
    Path dir;
    final WarpClock clock = WarpClock.times(WARP);
    TestServer server;
    final List<AutoCloseable> closing = new ArrayList<>();

    static LongStream seeds() {
        return Arrays.stream(System.getProperty("rtmfpd.lossSeeds", "1").split(",")).mapToLong(s -> Long.parseLong(s.trim()));
    }

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(dir, clock);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        server.close();
    }

    /** A client behind a relay of its own, its relay's impairments drawn from {@code seed}. */
    private record Peer(RtmfpClient client, LossyRelay relay) {
    }

    private Peer peer(long seed) throws Exception {
        LossyRelay relay = new LossyRelay(server.address, new LossyRelay.Impairment(LOSS, REORDER, DUPLICATE, seed));
        closing.add(relay);
        RtmfpClient client = RtmfpClient.open(ClientIdentity.generate(RANDOM),
                ClientSettings.FLASH_LIKE.withOpenTimeout(Duration.ofSeconds(GIVE_UP_SECONDS)),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, clock);
        closing.add(client);
        return new Peer(client, relay);
    }

    /** Connects and registers the relay's public address as the peer's only address; returns the seconds it took. */
    private double[] connect(Peer peer, String name, long seed) throws Exception {
        long start = clock.nowMillis();
        assertEquals("NetConnection.Connect.Success", peer.client().connect("rtmfp://127.0.0.1:" + peer.relay().port()
                + "/" + TestServer.KEY_A).get(WAIT, TimeUnit.SECONDS).get("code"));
        double connected = seconds(start);
        long registering = clock.nowMillis();
        peer.client().setPeerInfo(List.of(peer.relay().publicAddress())).get(WAIT, TimeUnit.SECONDS);
        // setPeerInfo has no answer; an unknown command after it on the same in-order flow has one (an
        // _error), and it comes only once the server has taken setPeerInfo.
        peer.client().call("afterSetPeerInfo").handle((result, error) -> null).get(WAIT, TimeUnit.SECONDS);
        double registered = seconds(registering);
        report(seed, name + " connect", connected);
        report(seed, name + " setPeerInfo", registered);
        return new double[] {connected, registered};
    }

    /** Protocol seconds since {@code since}, a reading of {@link #clock}. */
    private double seconds(long since) {
        return (clock.nowMillis() - since) / 1e3;
    }

    private static void report(long seed, String step, double seconds) {
        System.out.printf("lossy e2e seed %d: %s %.2f s%n", seed, step, seconds);
    }

    private void reportImpairments(long seed, Peer... peers) {
        int dropped = 0;
        int reordered = 0;
        int duplicated = 0;
        for (Peer p : peers) {
            dropped += p.relay().dropped();
            reordered += p.relay().reordered();
            duplicated += p.relay().duplicated();
        }
        System.out.printf("lossy e2e seed %d: %d dropped, %d reordered, %d duplicated%n", seed, dropped, reordered,
                duplicated);
        assertTrue(dropped > 0 && reordered > 0 && duplicated > 0, "every impairment happened");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void connectAndSetPeerInfoComplete(long seed) throws Exception {
        Peer a = peer(seed);
        double[] seconds = connect(a, "A", seed);
        assertTrue(seconds[0] + seconds[1] < GIVE_UP_SECONDS);
        assertTrue(server.server.metrics().render().contains("rtmfpd_sessions_opened_total 1"));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aPeerFindsAnotherByPeerIdAndTheyOpenADirectSession(long seed) throws Exception {
        Peer a = peer(seed);
        Peer b = peer(seed + 1_000);
        connect(a, "A", seed);
        connect(b, "B", seed);
        long start = clock.nowMillis();
        PeerSession session = a.client().connectToPeer(b.client().identity().peerId())
                .get(WAIT, TimeUnit.SECONDS);
        report(seed, "introduction and direct session", seconds(start));
        assertEquals(b.client().identity().peerIdHex(), session.peerIdHex());
        assertTrue(session.initiatedHere());
        reportImpairments(seed, a, b);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void twoNetGroupJoinsIntroduceTheMembers(long seed) throws Exception {
        Peer a = peer(seed);
        Peer b = peer(seed + 1_000);
        connect(a, "A", seed);
        connect(b, "B", seed);
        byte[] group = new byte[32];
        new java.util.Random(seed).nextBytes(group);
        long start = clock.nowMillis();
        // The joins travel on flows of their own: with loss, either can reach the server first, and the
        // server gives a joiner the members already there, so the second to arrive learns the first.
        GroupMembership ofA = a.client().joinGroup(group).get(WAIT, TimeUnit.SECONDS);
        GroupMembership ofB = b.client().joinGroup(group).get(WAIT, TimeUnit.SECONDS);
        String idA = a.client().identity().peerIdHex();
        String idB = b.client().identity().peerIdHex();
        long deadline = clock.nowMillis() + TimeUnit.SECONDS.toMillis(GIVE_UP_SECONDS);
        while (!lists(ofA, idB) && !lists(ofB, idA) && clock.nowMillis() < deadline) {
            Thread.sleep(20);
        }
        report(seed, "both join, one learns the other", seconds(start));
        assertTrue(lists(ofA, idB) || lists(ofB, idA),
                () -> "a member learnt the other; server metrics:\n" + server.server.metrics().render());
        reportImpairments(seed, a, b);
    }

    private static boolean lists(GroupMembership membership, String peerIdHex) {
        return membership.members().stream().anyMatch(id -> HexFormat.of().formatHex(id).equals(peerIdHex));
    }
}
