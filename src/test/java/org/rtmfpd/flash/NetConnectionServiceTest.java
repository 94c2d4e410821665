package org.rtmfpd.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtmfpd.handshake.IntroductionRequest;
import org.rtmfpd.log.LogCapture;
import org.rtmfpd.rendezvous.DeveloperKey;
import org.rtmfpd.rendezvous.PeerRegistry;
import org.rtmfpd.session.Session;
import org.rtmfpd.session.SendFlow;
import org.rtmfpd.wire.PeerAddress;
import org.rtmfpd.wire.Redirect;

class NetConnectionServiceTest {
    private static final String KEYS = String.join("\n",
            "secret-key-1",
            "labelled-secret label=chat",
            "limited-secret max-sessions=1");

    private final FlashHarness harness = new FlashHarness(KEYS);

    private static Object info(Command reply, String name) {
        return ((Map<?, ?>) reply.arguments().get(0)).get(name);
    }

    @Test
    void aClientWithAKnownKeyConnects() {
        FlashHarness.TestClient client = harness.client("192.0.2.10", 5000, 1);
        client.connect("secret-key-1");
        assertEquals(CommandReplies.RESULT, client.lastReply().name());
        assertEquals(CommandReplies.CONNECT_SUCCESS, info(client.lastReply(), "code"));
        assertEquals(1, harness.rendezvous.registry().size());
        assertEquals(1, harness.counted("connect"));
    }

    // ---- developer keys never reach the log ---------------------------------------------------

    @Test
    void anUnlabelledKeyIsLoggedByItsHash() {
        try (LogCapture log = LogCapture.debug(NetConnectionService.class)) {
            harness.client("192.0.2.10", 5000, 1).connect("secret-key-1");
            assertTrue(log.text().contains("connected with developer key " + DeveloperKey.logNameOf("secret-key-1")),
                    log.text());
            assertFalse(log.text().contains("secret-key-1"), log.text());
        }
    }

    @Test
    void aLabelledKeyIsLoggedByItsLabel() {
        try (LogCapture log = LogCapture.debug(NetConnectionService.class)) {
            harness.client("192.0.2.10", 5000, 1).connect("labelled-secret");
            assertTrue(log.text().contains("connected with developer key chat"), log.text());
            assertFalse(log.text().contains("labelled-secret"), log.text());
        }
    }

    @Test
    void anUnknownKeyIsToldToTheClientButNotLogged() {
        try (LogCapture log = LogCapture.debug(NetConnectionService.class)) {
            FlashHarness.TestClient client = harness.client("192.0.2.10", 5000, 1);
            client.connect("guessed-secret");
            assertEquals(CommandReplies.ERROR, client.lastReply().name());
            assertEquals(CommandReplies.CONNECT_REJECTED, info(client.lastReply(), "code"));
            assertEquals("Developer key 'guessed-secret' is not known to this server.", client.lastDescription());
            assertTrue(log.text().contains("connect rejected (event=connect_rejected): unknown developer key "
                    + DeveloperKey.logNameOf("guessed-secret")), log.text());
            assertFalse(log.text().contains("guessed-secret"), log.text());
        }
    }

    @Test
    void theMaxSessionsRefusalNamesTheKeyNeitherToTheClientNorInTheLog() {
        try (LogCapture log = LogCapture.debug(NetConnectionService.class)) {
            harness.client("192.0.2.10", 5000, 1).connect("limited-secret");
            FlashHarness.TestClient second = harness.client("192.0.2.11", 5000, 2);
            second.connect("limited-secret");
            assertEquals(CommandReplies.ERROR, second.lastReply().name());
            assertEquals("This developer key has reached its max-sessions limit of 1.", second.lastDescription());
            assertTrue(log.text().contains("connect rejected (event=connect_rejected): developer key "
                    + DeveloperKey.logNameOf("limited-secret") + " has reached its max-sessions limit of 1"), log.text());
            assertFalse(log.text().contains("limited-secret"), log.text());
        }
    }

    @Test
    void anUnparsableConnectUrlIsNotLoggedEither() {
        try (LogCapture log = LogCapture.debug(NetConnectionService.class)) {
            Map<String, Object> properties = FlashHarness.connectObject("secret-key-1");
            properties.put("tcUrl", "rtmfp://rtmfpd.example/secret-key-1 with^spaces");
            FlashHarness.TestClient client = harness.client("192.0.2.10", 5000, 1);
            client.netConnection(FlashHarness.command("connect", 1, properties));
            assertEquals(CommandReplies.RESULT, client.lastReply().name());
            assertTrue(log.text().contains("unparsable tcUrl"), log.text());
            assertFalse(log.text().contains("secret-key-1"), log.text());
        }
    }

    // ---- remote strings are escaped, remote-caused lines rate-limited -------------------------

    @Test
    void aCommandNameCannotForgeALogLine() {
        try (LogCapture log = LogCapture.debug(NetConnectionService.class)) {
            FlashHarness.TestClient client = harness.client("192.0.2.10", 5000, 1);
            client.connect("secret-key-1");
            client.netConnection(FlashHarness.command(
                    "x\n00:00:00.000 INFO  NetConnectionService - session 1: connected", 2, null));
            assertEquals(CommandReplies.ERROR, client.lastReply().name(), "an unknown method is answered");
            assertTrue(log.text().contains("x\\n00:00:00.000 INFO"), log.text());
            for (String line : log.lines()) {
                assertFalse(line.contains("\n"), line);
            }
        }
    }

    @Test
    void aLongCommandNameIsCut() {
        try (LogCapture log = LogCapture.debug(NetConnectionService.class)) {
            FlashHarness.TestClient client = harness.client("192.0.2.10", 5000, 1);
            client.connect("secret-key-1");
            client.netConnection(FlashHarness.command("y".repeat(60_000), 2, null));
            assertTrue(log.text().contains("y".repeat(64) + "\u2026(60000 chars)"), log.text().substring(0, 200));
            assertFalse(log.text().contains("y".repeat(65)));
        }
    }

    @Test
    void rejectedConnectsFromOneAddressAreRateLimited() {
        try (LogCapture log = LogCapture.info(NetConnectionService.class)) {
            for (int i = 0; i < 20; i++) {
                harness.client("192.0.2.10", 5000 + i, 100 + i).connect("guessed-" + i);
            }
            assertEquals(20, harness.refused("connect_rejected"), "each one is still counted");
            assertEquals(5, log.lines().size(), log.text());
            assertEquals(15, harness.counted("log_line_suppressed"));

            harness.client("192.0.2.99", 5000, 200).connect("guessed-other");
            assertEquals(6, log.lines().size(), "another address has its own budget");

            harness.clock.now += 10_000;
            harness.client("192.0.2.10", 6000, 300).connect("guessed-later");
            assertEquals(7, log.lines().size());
            assertTrue(log.lines().get(6).endsWith("(15 earlier lines caused by 192.0.2.10 suppressed)"),
                    log.lines().get(6));
        }
    }

    @Test
    void connectsFromOneAddressAreRateLimitedToo() {
        try (LogCapture log = LogCapture.info(NetConnectionService.class)) {
            for (int i = 0; i < 10; i++) {
                harness.client("192.0.2.10", 5000 + i, 100 + i).connect("secret-key-1");
            }
            assertEquals(10, harness.counted("connect"));
            assertEquals(5, log.lines().size(), log.text());
        }
    }

    // ---- flow metadata ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"5443", "544300", "544304", "54430480", "5443048fffffffff7f"})
    void malformedTcMetadataIsRefusedWhenTheFlowOpens(String metadata) {
        FlashHarness.TestClient client = harness.client("192.0.2.10", 5000, 1);
        client.connect("secret-key-1");
        SendFlow bad = client.open(Hex.bytes(metadata), FlashHarness.command("createStream", 2, null));
        assertTrue(bad.isDone(), "refused with a Flow Exception");
        assertFalse(bad.send(FlashHarness.command("createStream", 3, null)), "nothing more goes on it");
        assertEquals(CommandReplies.CONNECT_SUCCESS, info(client.lastReply(), "code"), "no reply to it");
        client.netConnection(FlashHarness.command("createStream", 4, null));
        assertEquals(CommandReplies.RESULT, client.lastReply().name(), "the NetConnection still works");
        assertEquals(4.0, client.lastReply().transactionId());
    }

    @Test
    void malformedTcMetadataOnTheFirstFlowIsRefusedToo() {
        FlashHarness.TestClient client = harness.client("192.0.2.10", 5000, 1);
        SendFlow bad = client.open(Hex.bytes("5443"), FlashHarness.command("connect", 1,
                FlashHarness.connectObject("secret-key-1")));
        assertTrue(bad.isDone());
        assertEquals(0, harness.rendezvous.registry().size());
        client.connect("secret-key-1");
        assertEquals(CommandReplies.CONNECT_SUCCESS, info(client.lastReply(), "code"));
    }

    @Test
    void aNetGroupFlowJoinsAndItsEndLeaves() {
        FlashHarness.TestClient first = harness.client("192.0.2.10", 5000, 1);
        FlashHarness.TestClient second = harness.client("192.0.2.11", 5000, 2);
        first.connect("secret-key-1");
        second.connect("secret-key-1");
        SendFlow firstGroup = first.open(FlashHarness.GC_METADATA, FlashHarness.join(FlashHarness.group(7)));
        second.open(FlashHarness.GC_METADATA, FlashHarness.join(FlashHarness.group(7)));
        assertEquals(2, harness.rendezvous.groups().memberCount());
        assertEquals(1, second.groupMessages.size());
        assertEquals("0b" + first.peerId, Hex.of(second.groupMessages.get(0)));
        firstGroup.close();
        first.near.flush();
        first.exchange();
        assertEquals(1, harness.rendezvous.groups().memberCount(), "the first client left");
        assertEquals(2, harness.counted("group_join"));
    }

    @Test
    void aNetGroupFlowBeforeConnectIsRefused() {
        FlashHarness.TestClient client = harness.client("192.0.2.10", 5000, 1);
        SendFlow group = client.open(FlashHarness.GC_METADATA, FlashHarness.join(FlashHarness.group(7)));
        assertTrue(group.isDone());
        assertEquals(0, harness.rendezvous.groups().memberCount());
    }

    @Test
    void aStreamFlowBeforeConnectIsRefused() {
        FlashHarness.TestClient client = harness.client("192.0.2.10", 5000, 1);
        SendFlow stream = client.open(new byte[] {'T', 'C', 0x04, 0x01}, new byte[] {0x14, 0, 0, 0, 0});
        assertTrue(stream.isDone(), "refused with a flow exception");
    }

    // ---- a fault while handling one message stays with that message ---------------------------

    @Test
    void aFaultWhileConnectingIsContainedAndTheClientMayTryAgain() {
        try (LogCapture log = LogCapture.debug(NetConnectionService.class)) {
            FlashHarness.TestClient client = harness.client("192.0.2.10", 5000, 1);
            harness.keyLookupFault = new IllegalStateException("store\nfault");
            client.connect("secret-key-1");
            assertEquals(1, harness.counted("message_failed"));
            assertEquals(0, harness.rendezvous.registry().size());
            assertTrue(log.text().contains("IllegalStateException: store\\nfault"), log.text());

            harness.keyLookupFault = null;
            client.netConnection(FlashHarness.command("connect", 2, FlashHarness.connectObject("secret-key-1")));
            assertEquals(CommandReplies.CONNECT_SUCCESS, info(client.lastReply(), "code"));
            assertEquals(1, harness.rendezvous.registry().size());
        }
    }

    @Test
    void aFaultWhileJoiningLeavesNoHalfJoin() {
        FlashHarness.TestClient first = harness.client("192.0.2.10", 5000, 1);
        FlashHarness.TestClient second = harness.client("192.0.2.11", 5000, 2);
        first.connect("secret-key-1");
        second.connect("secret-key-1");
        second.open(FlashHarness.GC_METADATA, FlashHarness.join(FlashHarness.group(7)));

        harness.keyLookupFault = new IllegalStateException("fault");
        SendFlow group = first.open(FlashHarness.GC_METADATA, FlashHarness.join(FlashHarness.group(7)));
        assertEquals(1, harness.counted("message_failed"));
        assertEquals(1, harness.rendezvous.groups().memberCount());

        harness.keyLookupFault = null;
        first.send(group, FlashHarness.join(FlashHarness.group(7)));
        assertEquals(2, harness.rendezvous.groups().memberCount(), "the join, sent again, is served");
        assertEquals(1, first.groupMessages.size());
        assertEquals("0b" + second.peerId, Hex.of(first.groupMessages.get(0)));
    }

    @Test
    void aFaultWhileIntroducingIsContained() {
        FlashHarness.TestClient first = harness.client("192.0.2.10", 5000, 1);
        FlashHarness.TestClient second = harness.client("192.0.2.11", 5000, 2);
        first.connect("secret-key-1");
        second.connect("secret-key-1");
        harness.keyLookupFault = new IllegalStateException("fault");
        byte[] target = Hex.bytes(second.peerId.toString());
        harness.service.onIntroductionRequest(new IntroductionRequest(first.server, first.address,
                target, target, new byte[16]));
        assertEquals(1, harness.counted("message_failed"));
        assertTrue(harness.startupSent.isEmpty());

        harness.keyLookupFault = null;
        harness.service.onIntroductionRequest(new IntroductionRequest(first.server, first.address,
                target, target, new byte[16]));
        assertEquals(1, harness.counted("introduction"));
        assertEquals(1, harness.startupSent.size());
    }

    // ---- introductions ------------------------------------------------------------------------

    /** The dispatcher's request: an IHello for {@code target} from {@code from}'s address, in its session. */
    private static IntroductionRequest ask(FlashHarness.TestClient from, FlashHarness.TestClient target) {
        byte[] id = Hex.bytes(target.peerId.toString());
        return new IntroductionRequest(from.server, from.address, id, id, new byte[16]);
    }

    @Test
    void aConnectedSessionIsIntroducedAsItsPeerFromTheAddressItsIHelloCameFrom() {
        FlashHarness.TestClient first = harness.client("192.0.2.10", 5000, 1);
        FlashHarness.TestClient second = harness.client("198.51.100.11", 5000, 2);
        first.connect("secret-key-1");
        second.connect("secret-key-1");
        harness.service.onIntroductionRequest(ask(first, second));
        assertEquals(1, harness.counted("introduction"));
        assertTrue(harness.rendezvous.ledger().introduced(first.peerId, second.peerId));
        Redirect redirect = (Redirect) harness.startupSent.get(0);
        assertEquals(List.of(new PeerAddress(second.address, PeerAddress.Origin.OBSERVED)), redirect.addresses());
        second.exchange();
        assertEquals(1, second.forwarded.size());
        assertEquals(new PeerAddress(first.address, PeerAddress.Origin.OBSERVED), second.forwarded.get(0).replyAddress());
    }

    @Test
    void aSessionThatHasNotConnectedIsNotIntroduced() {
        FlashHarness.TestClient first = harness.client("192.0.2.10", 5000, 1);
        FlashHarness.TestClient second = harness.client("192.0.2.11", 5000, 2);
        second.connect("secret-key-1");
        harness.service.onIntroductionRequest(ask(first, second));
        first.connect("unknown-key");
        assertEquals(CommandReplies.ERROR, first.lastReply().name());
        harness.service.onIntroductionRequest(ask(first, second));
        assertEquals(2, harness.refused("introduction_initiator_not_registered"), "before connect, and rejected");
        assertEquals(0, harness.counted("introduction"));
        assertTrue(harness.startupSent.isEmpty());
        assertEquals(0, harness.rendezvous.ledger().slotsInUse(second.peerId));
    }

    @Test
    void aSessionWithTheSamePeerIdAsAConnectedOneIsNotIntroducedInItsName() {
        FlashHarness.TestClient first = harness.client("192.0.2.10", 5000, 1);
        FlashHarness.TestClient second = harness.client("192.0.2.11", 5000, 2);
        FlashHarness.TestClient twin = harness.client("192.0.2.12", 5000, 1); // first's certificate, not connected
        assertEquals(first.peerId, twin.peerId);
        first.connect("secret-key-1");
        second.connect("secret-key-1");
        harness.service.onIntroductionRequest(ask(twin, second));
        assertEquals(1, harness.refused("introduction_initiator_not_registered"));
        assertTrue(harness.startupSent.isEmpty());
        assertFalse(harness.rendezvous.ledger().introduced(first.peerId, second.peerId));
    }

    @Test
    void anOpenIntroductionRedirectsToTheTargetsAddressesObservedFirstWithoutRepeats() {
        FlashHarness open = new FlashHarness(KEYS, true);
        FlashHarness.TestClient target = open.client("198.51.100.20", 50000, 2);
        target.connect("secret-key-1");
        target.netConnection(FlashHarness.command(PeerInfoAddresses.COMMAND, 2, null,
                "10.0.0.20:50000", "198.51.100.20:50000", "[fd00::20]:50000", "10.0.0.20:50000"));
        byte[] targetId = Hex.bytes(target.peerId.toString());
        InetSocketAddress initiator = new InetSocketAddress("203.0.113.10", 40000);
        open.service.onIntroductionRequest(new IntroductionRequest(null, initiator, targetId, targetId, new byte[16]));
        Redirect redirect = (Redirect) open.startupSent.get(0);
        assertEquals(List.of(
                new PeerAddress(target.address, PeerAddress.Origin.OBSERVED),
                new PeerAddress(new InetSocketAddress("10.0.0.20", 50000), PeerAddress.Origin.REPORTED),
                new PeerAddress(new InetSocketAddress("fd00::20", 50000), PeerAddress.Origin.REPORTED)),
                redirect.addresses());
        assertEquals(1, open.counted("introduction"));
    }

    @Test
    void aReportedAddressEqualToTheObservedOneIsHeldOnce() {
        FlashHarness.TestClient client = harness.client("198.51.100.21", 50000, 2);
        client.connect("secret-key-1");
        client.netConnection(FlashHarness.command(PeerInfoAddresses.COMMAND, 2, null,
                "10.0.0.21:50000", "198.51.100.21:50000"));
        PeerRegistry.Entry<Session> entry = harness.rendezvous.registry().find(client.peerId).orElseThrow();
        assertEquals(List.of(new InetSocketAddress("10.0.0.21", 50000), client.address), entry.reported());
        assertSame(entry.observed(), entry.reported().get(1), "the session's own instance, not a copy");
    }

    @Test
    void aSessionThatNeverConnectsIsClosedAfterTheConnectTimeout() {
        FlashHarness.TestClient idle = harness.client("192.0.2.20", 5000, 3);
        FlashHarness.TestClient connected = harness.client("192.0.2.21", 5000, 4);
        harness.service.onSessionOpened(idle.server);
        harness.service.onSessionOpened(connected.server);
        connected.connect("secret-key-1");
        harness.clock.now += NetConnectionService.DEFAULT_CONNECT_TIMEOUT_MILLIS - 1;
        harness.service.tick();
        assertTrue(idle.server.isOpen());
        harness.clock.now += 1;
        harness.service.tick();
        assertFalse(idle.server.isOpen(), "closed: no connect within the timeout");
        assertTrue(connected.server.isOpen(), "a connected session stays");
        assertEquals(1, harness.refused("connect_timeout"));
    }
}
