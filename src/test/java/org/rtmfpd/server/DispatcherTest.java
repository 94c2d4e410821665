package org.rtmfpd.server;

import org.rtmfpd.config.AdmissionLimits;
import org.rtmfpd.config.ServerConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.CookieJar;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.DhKeyPair;
import org.rtmfpd.crypto.EndpointDiscriminator;
import org.rtmfpd.crypto.KeyingComponent;
import org.rtmfpd.crypto.Negotiation;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.handshake.EphemeralKeys;
import org.rtmfpd.handshake.IntroductionRequest;
import org.rtmfpd.handshake.ResponderKeying;
import org.rtmfpd.session.Clock;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.session.Session;
import org.rtmfpd.session.SessionSettings;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.CookieChange;
import org.rtmfpd.wire.IHello;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.Packet;
import org.rtmfpd.wire.RHello;
import org.rtmfpd.wire.RIKeying;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.Ping;
import org.rtmfpd.wire.PingReply;
import org.rtmfpd.wire.Redirect;
import org.rtmfpd.crypto.SessionCipher;
import org.rtmfpd.crypto.SessionKeys;
import org.rtmfpd.handshake.KeyingRefusal;
import java.util.Map;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The responder's startup exchanges, driven without sockets: datagrams in, datagrams out. */
class DispatcherTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.1", 50001);
    private static final String URL = "rtmfp://127.0.0.1:1935/KEY";

    private final SecureRandom random = new SecureRandom();
    private final long[] now = {5_000_000};
    /** Reads of the dispatcher's clock, by it and by its sessions. */
    private final long[] clockReads = {0};
    private final List<Sent> sent = new ArrayList<>();
    private final List<Runnable> keyingQueue = new ArrayList<>();
    private final ServerMetrics metrics = new ServerMetrics();
    private final List<IntroductionRequest> introductions = new ArrayList<>();
    private final Certificate certificate = Certificate.ephemeral(List.of(DhGroup.GROUP_2), new byte[64]);
    private final Dispatcher dispatcher = new Dispatcher(certificate, new CookieJar(random, () -> now[0]),
            new ResponderKeying(List.of(DhGroup.GROUP_2), new EphemeralKeys(random, () -> now[0], 0)), 2,
            SessionSettings.DEFAULT, (to, d) -> sent.add(new Sent(to, d)), () -> {
                clockReads[0]++;
                return now[0];
            }, keyingQueue::add,
            Runnable::run, new Application(), metrics);
    private final DhKeyPair clientKey = DhGroup.GROUP_2.generateKeyPair(random);
    private final Certificate clientCertificate = Certificate.staticKeys(List.of(clientKey));

    private record Sent(InetSocketAddress to, byte[] datagram) {
        int sessionId() {
            return Datagrams.sessionId(datagram);
        }

        Chunk chunk() {
            return Datagrams.decode(datagram, PacketCipher.DEFAULT).packet().chunks().get(0);
        }
    }

    /** Records introductions in this test's list. */
    private class Application extends RecordingApplication {
        @Override
        public void onIntroductionRequest(IntroductionRequest request) {
            DispatcherTest.this.introductions.add(request);
        }
    }

    private static byte[] startup(Chunk chunk) {
        Packet packet = new Packet(Packet.TS | Packet.MODE_STARTUP, 0, Packet.ABSENT, List.of(chunk));
        return Datagrams.encode(0, PacketCipher.DEFAULT, 0, packet);
    }

    private RHello hello(InetSocketAddress from) {
        dispatcher.onDatagram(from, startup(new IHello(EndpointDiscriminator.ofAncillaryData(URL), new byte[16])));
        assertEquals(1, sent.size());
        return assertInstanceOf(RHello.class, sent.remove(0).chunk());
    }

    private static final KeyingComponent SKIC = KeyingComponent.builder().groupSelect(DhGroup.GROUP_2)
            .extraRandomness(new byte[64]).hmac(Negotiation.ON_REQUEST, 10).sseq(Negotiation.ON_REQUEST).build();

    private IIKeying keying(byte[] cookie, int initiatorSessionId) {
        return keying(cookie, initiatorSessionId, clientCertificate.encoded(), SKIC.encoded());
    }

    private static IIKeying keying(byte[] cookie, int initiatorSessionId, byte[] certificate, byte[] skic) {
        return new IIKeying(initiatorSessionId, cookie, certificate, skic, new byte[] {0x58});
    }

    private void runKeying() {
        List<Runnable> work = new ArrayList<>(keyingQueue);
        keyingQueue.clear();
        work.forEach(Runnable::run);
    }

    @Test
    void iHelloGetsRHelloWithCookieAndCertificateAndNoState() {
        RHello rhello = hello(CLIENT);
        assertArrayEquals(new byte[16], rhello.tagEcho());
        assertArrayEquals(certificate.encoded(), rhello.certificate());
        assertTrue(rhello.cookie().length > 0 && rhello.cookie().length <= 64, "a short stateless cookie");
        assertEquals(0, dispatcher.sessionCount());
    }

    @Test
    void fewIIKeyingsAreKeyedOnTheProtocolThreadAndABurstGoesToTheWorkers() {
        dispatcher.keyInlineBelow(20, Long.MAX_VALUE); // two per 100 ms window
        for (int i = 0; i < 2; i++) {
            InetSocketAddress from = new InetSocketAddress("127.0.0.1", 40_000 + i);
            dispatcher.onDatagram(from, startup(keying(hello(from).cookie(), 0x100 + i)));
            assertTrue(keyingQueue.isEmpty(), "keyed at once, no hand-off");
            assertInstanceOf(RIKeying.class, sent.remove(0).chunk());
        }
        InetSocketAddress third = new InetSocketAddress("127.0.0.1", 40_002);
        dispatcher.onDatagram(third, startup(keying(hello(third).cookie(), 0x102)));
        assertEquals(1, keyingQueue.size(), "past the window's allowance: to the workers");
        assertTrue(sent.isEmpty());
        now[0] += Dispatcher.KEYING_WINDOW_MILLIS;
        InetSocketAddress fourth = new InetSocketAddress("127.0.0.1", 40_003);
        dispatcher.onDatagram(fourth, startup(keying(hello(fourth).cookie(), 0x103)));
        assertEquals(2, keyingQueue.size(), "while work is queued, and after a busy window: to the workers");
        runKeying();
        now[0] += 2 * Dispatcher.KEYING_WINDOW_MILLIS;
        InetSocketAddress fifth = new InetSocketAddress("127.0.0.1", 40_004);
        sent.clear();
        dispatcher.onDatagram(fifth, startup(keying(hello(fifth).cookie(), 0x104)));
        assertTrue(keyingQueue.isEmpty(), "quiet again: keyed at once");
        assertInstanceOf(RIKeying.class, sent.remove(0).chunk());
        assertEquals(5, dispatcher.sessionCount());
    }

    @Test
    void inlineKeyingStopsOnceItsTimeBudgetIsSpent() {
        dispatcher.keyInlineBelow(1000, 1); // a budget of 1 ns: the first inline keying uses it up
        InetSocketAddress first = new InetSocketAddress("127.0.0.1", 41_000);
        dispatcher.onDatagram(first, startup(keying(hello(first).cookie(), 0x200)));
        assertTrue(keyingQueue.isEmpty());
        assertInstanceOf(RIKeying.class, sent.remove(0).chunk());
        InetSocketAddress second = new InetSocketAddress("127.0.0.1", 41_001);
        dispatcher.onDatagram(second, startup(keying(hello(second).cookie(), 0x201)));
        assertEquals(1, keyingQueue.size(), "budget spent in this window: to the workers");
        runKeying();
        now[0] += Dispatcher.KEYING_WINDOW_MILLIS;
        InetSocketAddress third = new InetSocketAddress("127.0.0.1", 41_002);
        sent.clear();
        dispatcher.onDatagram(third, startup(keying(hello(third).cookie(), 0x202)));
        assertEquals(1, keyingQueue.size(), "and in the next window, as the last one spent it");
    }

    @Test
    void iiKeyingOpensASessionAndARepeatGetsTheSameRIKeyingWithoutNewWork() {
        RHello rhello = hello(CLIENT);
        IIKeying iikeying = keying(rhello.cookie(), 0x01020304);
        dispatcher.onDatagram(CLIENT, startup(iikeying));
        assertEquals(1, keyingQueue.size(), "DH work queued, nothing sent yet");
        assertTrue(sent.isEmpty());
        dispatcher.onDatagram(CLIENT, startup(iikeying));
        assertEquals(1, keyingQueue.size(), "a repeat while keying is ignored");
        runKeying();
        assertEquals(1, dispatcher.sessionCount());
        Sent first = sent.remove(0);
        assertEquals(0x01020304, first.sessionId(), "RIKeying goes to the initiator's session ID");
        RIKeying riKeying = assertInstanceOf(RIKeying.class, first.chunk());
        dispatcher.onDatagram(CLIENT, startup(iikeying));
        assertTrue(keyingQueue.isEmpty(), "no new DH work for a repeated IIKeying");
        assertEquals(riKeying, sent.remove(0).chunk());
        assertEquals(1, dispatcher.sessionCount());
    }

    @Test
    void cookieFromAnotherAddressGetsCookieChangeAndForgedCookieGetsSilence() {
        RHello rhello = hello(CLIENT);
        dispatcher.onDatagram(OTHER, startup(keying(rhello.cookie(), 7)));
        Sent change = sent.remove(0);
        assertEquals(OTHER, change.to());
        assertEquals(7, change.sessionId());
        CookieChange cookieChange = assertInstanceOf(CookieChange.class, change.chunk());
        assertArrayEquals(rhello.cookie(), cookieChange.oldCookie());
        byte[] forged = rhello.cookie();
        forged[2] ^= 1;
        dispatcher.onDatagram(CLIENT, startup(keying(forged, 8)));
        assertTrue(sent.isEmpty() && keyingQueue.isEmpty());
        assertEquals(1, metrics.dropped("bad_cookie"));
        now[0] += CookieJar.LIFETIME_MILLIS + 1_000;
        dispatcher.onDatagram(CLIENT, startup(keying(rhello.cookie(), 9)));
        assertTrue(sent.isEmpty() && keyingQueue.isEmpty(), "an expired cookie gets silence");
    }

    @Test
    void keyingQueueIsBoundedAndSessionIdZeroIsRefused() {
        RHello a = hello(CLIENT);
        RHello b = hello(OTHER);
        InetSocketAddress third = new InetSocketAddress("127.0.0.1", 50002);
        RHello c = hello(third);
        InetSocketAddress fourth = new InetSocketAddress("127.0.0.1", 50003);
        RHello e = hello(fourth);
        dispatcher.onDatagram(CLIENT, startup(keying(a.cookie(), 1)));
        dispatcher.onDatagram(OTHER, startup(keying(b.cookie(), 2)));
        dispatcher.onDatagram(third, startup(keying(c.cookie(), 3)));
        dispatcher.onDatagram(fourth, startup(keying(e.cookie(), 4)));
        assertEquals(Dispatcher.keyingQueueCapacity(2), keyingQueue.size(), "limit of 2, and one more for new sources");
        assertEquals(1, metrics.dropped("keying_queue_full"));
        dispatcher.onDatagram(third, startup(keying(c.cookie(), 0)));
        assertEquals(1, metrics.dropped("iikeying_session_id_zero"));
    }

    @Test
    void peerIHelloWithoutSessionIsPassedUpWithNullSessionAndOwnFingerprintGetsRHello() {
        byte[] peer = new byte[32];
        peer[0] = 9;
        dispatcher.onDatagram(CLIENT, startup(new IHello(EndpointDiscriminator.ofFingerprint(peer), new byte[16])));
        assertTrue(sent.isEmpty());
        assertEquals(1, introductions.size());
        assertNull(introductions.get(0).initiatorSession());
        dispatcher.onDatagram(CLIENT, startup(new IHello(EndpointDiscriminator.ofFingerprint(certificate.fingerprint()),
                new byte[16])));
        assertInstanceOf(RHello.class, sent.remove(0).chunk());
    }

    private Session openSession(InetSocketAddress from, int initiatorSessionId) {
        RHello rhello = hello(from);
        dispatcher.onDatagram(from, startup(keying(rhello.cookie(), initiatorSessionId)));
        runKeying();
        sent.clear();
        return dispatcher.sessionAt(from);
    }

    @Test
    void aSessionWithDataInFlightIsTickedEveryTime() {
        Session session = openSession(CLIENT, 11);
        dispatcher.tick(); // the first tick runs every session's timers
        session.openFlow(new byte[] {'T', 'C', 0x04, 0x00}, -1).send(new byte[] {1, 2, 3});
        session.flush();
        assertEquals(1, sent.size());
        sent.clear();
        assertTrue(session.hasRetransmissionTimer());
        now[0] += 3_500; // past the first retransmission timeout (3 s)
        dispatcher.tick();
        assertEquals(1, sent.size(), "retransmitted on a tick that skips the idle sessions");
        assertEquals(CLIENT, sent.get(0).to());
    }

    @Test
    void idleSessionsAreNotVisitedBetweenTheirDeadlines() {
        int count = 12;
        for (int i = 0; i < count; i++) {
            openSession(new InetSocketAddress("127.0.0.1", 40_000 + i), 100 + i);
        }
        dispatcher.tick();
        long before = clockReads[0];
        int ticks = 0;
        // 100 ms ticks up to just before the first keepalive: no session has anything to do.
        for (long t = 100; t < SessionSettings.DEFAULT.keepaliveMillis(); t += 100) {
            now[0] += 100;
            dispatcher.tick();
            ticks++;
        }
        assertTrue(sent.isEmpty());
        assertEquals(ticks, clockReads[0] - before,
                "each tick reads the clock once, for the wheel; no idle session's timers ran");
    }

    @Test
    void anIdleSessionPingsAtItsKeepaliveAndClosesAtItsIdleTimeoutOnTheFirstTickAfter() {
        openSession(CLIENT, 12);
        long opened = now[0];
        dispatcher.tick();
        now[0] = opened + SessionSettings.DEFAULT.keepaliveMillis() - 1;
        dispatcher.tick();
        assertTrue(sent.isEmpty());
        now[0] = opened + SessionSettings.DEFAULT.keepaliveMillis();
        dispatcher.tick();
        assertEquals(1, sent.size(), "the keepalive Ping");
        assertEquals(CLIENT, sent.get(0).to());
        now[0] = opened + SessionSettings.DEFAULT.idleTimeoutMillis() - 1;
        dispatcher.tick();
        assertEquals(1, dispatcher.sessionCount());
        now[0] = opened + SessionSettings.DEFAULT.idleTimeoutMillis() + 50;
        dispatcher.tick();
        assertEquals(0, dispatcher.sessionCount(), "its idle timeout closes it on the first tick after");
    }

    @Test
    void aSessionAbortedOutsideTheTimersIsForgottenOnTheNextTick() {
        Session session = openSession(CLIENT, 13);
        dispatcher.tick();
        session.abort();
        assertEquals(1, dispatcher.sessionCount());
        dispatcher.tick();
        assertEquals(0, dispatcher.sessionCount());
        assertFalse(dispatcher.hasSessionAt(CLIENT));
    }

    @Test
    void garbageAndShortDatagramsAreDroppedSilently() {
        dispatcher.onDatagram(CLIENT, new byte[3]);
        byte[] noise = new byte[68];
        random.nextBytes(noise);
        noise[0] = noise[4];
        noise[1] = noise[5];
        noise[2] = noise[6];
        noise[3] = noise[7];
        dispatcher.onDatagram(CLIENT, noise);
        assertTrue(sent.isEmpty());
        assertEquals(1, metrics.dropped("short"));
        assertEquals(1, metrics.dropped("unknown_session"));
    }

    // ------------------------------------------------------------ hardening (security review, RFC 7425 checks)

    private static byte[] hex(String h) {
        return java.util.HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void malformedSkicsNeverTakeAKeyingSlotAndANormalClientStillConnects() {
        // An empty group select option (02 1d → length 1, type 0x1d, no value), then a group select whose
        // VLU does not end (03 1d 82 82): both threw on the keying worker and kept their slot forever.
        byte[][] bad = {hex("01 1d"), hex("03 1d 82 82"), hex("02 1d")};
        for (int i = 0; i < 40; i++) {
            InetSocketAddress from = new InetSocketAddress("127.0.1." + (i + 1), 40000);
            RHello rhello = hello(from);
            dispatcher.onDatagram(from, startup(keying(rhello.cookie(), 100 + i, clientCertificate.encoded(),
                    bad[i % bad.length])));
            runKeying();
        }
        assertEquals(0, dispatcher.keyingQueueLength(), "no slot is held");
        assertTrue(metrics.refused(KeyingRefusal.SKIC_MALFORMED.label()) > 0);
        RHello rhello = hello(CLIENT);
        dispatcher.onDatagram(CLIENT, startup(keying(rhello.cookie(), 5)));
        runKeying();
        assertInstanceOf(RIKeying.class, sent.remove(0).chunk());
    }

    @Test
    void keyingWorkThatFailsStillFreesItsSlot() {
        Clock failing = () -> {
            throw new IllegalStateException("clock broke");
        };
        Dispatcher fragile = new Dispatcher(certificate, new CookieJar(random, () -> now[0]),
                new ResponderKeying(List.of(DhGroup.GROUP_2), new EphemeralKeys(random, failing, 60_000)), 1,
                SessionSettings.DEFAULT, (to, d) -> sent.add(new Sent(to, d)), () -> now[0], keyingQueue::add,
                Runnable::run, new Application(), metrics);
        fragile.onDatagram(CLIENT, startup(new IHello(EndpointDiscriminator.ofAncillaryData(URL), new byte[16])));
        RHello rhello = assertInstanceOf(RHello.class, sent.remove(0).chunk());
        fragile.onDatagram(CLIENT, startup(keying(rhello.cookie(), 5)));
        assertEquals(1, fragile.keyingQueueLength());
        runKeying();
        assertEquals(0, fragile.keyingQueueLength(), "the failure came back as an outcome");
        assertEquals(1, metrics.refused(KeyingRefusal.INTERNAL_ERROR.label()));
        assertTrue(sent.isEmpty());
    }

    /** Each offending IIKeying is refused with its own reason, before any work is queued. */
    @Test
    void everyCertificateAndSkicRuleHasItsOwnCountedRefusal() {
        byte[] key = clientKey.publicKeyBytes();
        byte[] good = clientCertificate.encoded();
        assertArrayEquals(new OptionList(List.of(Option.of(0x1d, concat(hex("02"), key)))).toBytes(), good);
        byte[] select2 = hex("02 1d 02");
        byte[] skicTail = hex("03 1a 02 0a 02 1e 02");
        Map<KeyingRefusal, byte[][]> cases = new java.util.LinkedHashMap<>();
        cases.put(KeyingRefusal.CERTIFICATE_MALFORMED, new byte[][] {hex("81 02 1d 02 00"), SKIC.encoded()});
        cases.put(KeyingRefusal.CERTIFICATE_STATIC_AND_EPHEMERAL, new byte[][] {concat(good, hex("02 15 02")), SKIC.encoded()});
        cases.put(KeyingRefusal.CERTIFICATE_NOT_STATIC, new byte[][] {hex("01 0a 02 15 02"), SKIC.encoded()});
        cases.put(KeyingRefusal.CERTIFICATE_GROUP_REPEATED, new byte[][] {concat(good, good), SKIC.encoded()});
        cases.put(KeyingRefusal.SKIC_MALFORMED, new byte[][] {good, hex("05 1d 02")});
        cases.put(KeyingRefusal.SKIC_NO_GROUP_SELECT, new byte[][] {good, skicTail});
        cases.put(KeyingRefusal.SKIC_GROUP_AMBIGUOUS, new byte[][] {good, concat(select2, select2, skicTail)});
        cases.put(KeyingRefusal.GROUP_NOT_SUPPORTED, new byte[][] {good, concat(hex("02 1d 0e"), skicTail)});
        cases.put(KeyingRefusal.CERTIFICATE_NO_KEY_FOR_GROUP, new byte[][] {
                new OptionList(List.of(Option.of(0x1d, concat(hex("0e"), key)))).toBytes(),
                concat(select2, skicTail)});
        byte[] weak = new byte[128];
        weak[127] = 1;
        cases.put(KeyingRefusal.PUBLIC_KEY_REJECTED, new byte[][] {
                new OptionList(List.of(Option.of(0x1d, concat(hex("02"), weak)))).toBytes(), SKIC.encoded()});
        cases.put(KeyingRefusal.HMAC_NEGOTIATION_INVALID, new byte[][] {good, concat(select2, hex("03 1a 02 21"))});
        cases.put(KeyingRefusal.SSEQ_NEGOTIATION_INVALID, new byte[][] {good, concat(select2, hex("01 1e"))});
        int port = 41000;
        for (Map.Entry<KeyingRefusal, byte[][]> c : cases.entrySet()) {
            InetSocketAddress from = new InetSocketAddress("127.0.0.1", port++);
            RHello rhello = hello(from);
            dispatcher.onDatagram(from, startup(keying(rhello.cookie(), 9, c.getValue()[0], c.getValue()[1])));
            assertTrue(keyingQueue.isEmpty(), c.getKey() + ": refused before any work is queued");
            assertTrue(sent.isEmpty(), c.getKey() + ": silence");
            assertEquals(1, metrics.refused(c.getKey().label()), c.getKey().label());
        }
        assertEquals(0, dispatcher.sessionCount());
    }

    @Test
    void iHellosThatWouldBeAmplifiedMoreThanThreeTimesAreAnsweredOnlyAtABoundedRate() {
        // rtmfp://h/k: a 52-byte IHello draws a 180-byte RHello (3.5 times). A client with a short key
        // still gets its answer (it repeats an IHello at most once a second); a flood from one source,
        // or from many, does not.
        byte[] small = startup(new IHello(EndpointDiscriminator.ofAncillaryData("rtmfp://h/k"), new byte[16]));
        for (int i = 0; i < 10; i++) {
            dispatcher.onDatagram(CLIENT, small);
        }
        assertEquals(Dispatcher.SMALL_IHELLO_BURST_PER_SOURCE, sent.size());
        assertTrue(sent.get(0).datagram().length > Dispatcher.AMPLIFICATION_LIMIT * small.length);
        assertEquals(10 - Dispatcher.SMALL_IHELLO_BURST_PER_SOURCE, metrics.dropped("small_ihello_rate"));
        sent.clear();
        now[0] += 1_000;
        dispatcher.onDatagram(CLIENT, small);
        assertEquals(1, sent.size(), "a retransmission a second later is answered");
        sent.clear();
        for (int i = 0; i < 1_000; i++) {
            dispatcher.onDatagram(new InetSocketAddress("127.0." + (i / 200) + "." + (i % 200 + 1), 5000), small);
        }
        assertTrue(sent.size() <= Dispatcher.SMALL_IHELLO_BURST, sent.size() + " answers to 1,000 spoofed sources");
        sent.clear();
        byte[] ihello = startup(new IHello(EndpointDiscriminator.ofAncillaryData(URL), new byte[16]));
        for (int i = 0; i < 10; i++) {
            dispatcher.onDatagram(CLIENT, ihello);
        }
        assertEquals(10, sent.size(), "IHellos within the bound are always answered");
        assertTrue(sent.get(0).datagram().length <= Dispatcher.AMPLIFICATION_LIMIT * ihello.length);
    }

    @Test
    void repeatedIntroductionsOfOnePairAreRateLimited() {
        byte[] peer = new byte[32];
        peer[0] = 9;
        byte[] ihello = startup(new IHello(EndpointDiscriminator.ofFingerprint(peer), new byte[16]));
        for (int i = 0; i < 50; i++) {
            dispatcher.onDatagram(CLIENT, ihello);
        }
        assertEquals(Dispatcher.PAIR_INTRODUCTION_BURST, introductions.size());
        assertEquals(50 - Dispatcher.PAIR_INTRODUCTION_BURST, metrics.refused("introduction_rate"));
        now[0] += 1_000;
        dispatcher.onDatagram(CLIENT, ihello);
        assertEquals(Dispatcher.PAIR_INTRODUCTION_BURST + 1, introductions.size(), "one more a second");
        // Many initiators to one target: bounded per target too.
        for (int i = 0; i < 200; i++) {
            dispatcher.onDatagram(new InetSocketAddress("127.0.0.2", 30000 + i), ihello);
        }
        assertTrue(introductions.size() <= Dispatcher.PAIR_INTRODUCTION_BURST + 1 + Dispatcher.TARGET_INTRODUCTION_BURST,
                introductions.size() + " introductions");
    }

    /** The client's end of a session opened with {@link #openSession}, enough to send it packets. */
    private final class ClientEnd {
        final int serverSessionId;
        final PacketCipher cipher;

        ClientEnd(RIKeying riKeying) {
            KeyingComponent skrc = KeyingComponent.parse(riKeying.skrc());
            byte[] secret = clientKey.agree(skrc.ephemeralKey().orElseThrow().key()).orElseThrow();
            this.serverSessionId = riKeying.responderSessionId();
            this.cipher = SessionCipher.negotiate(SessionKeys.derive(secret, SKIC.encoded(), skrc.encoded()), SKIC, skrc)
                    .orElseThrow();
        }

        byte[] packet(Chunk chunk) {
            Packet packet = new Packet(Packet.TS | Packet.MODE_INITIATOR, (int) (now[0] / 4) & 0xffff, Packet.ABSENT,
                    List.of(chunk));
            return Datagrams.encode(serverSessionId, cipher, 0, packet);
        }

        Chunk open(byte[] datagram) {
            return Datagrams.decode(datagram, cipher).packet().chunks().get(0);
        }
    }

    private ClientEnd connect(InetSocketAddress from, int initiatorSessionId) {
        RHello rhello = hello(from);
        dispatcher.onDatagram(from, startup(keying(rhello.cookie(), initiatorSessionId)));
        runKeying();
        return new ClientEnd(assertInstanceOf(RIKeying.class, sent.remove(0).chunk()));
    }

    @Test
    void aSessionThatMovesOntoAnotherSessionsAddressTakesItOverAndTheOtherCloses() {
        ClientEnd a = connect(CLIENT, 21);
        connect(OTHER, 22);
        Session movingSession = dispatcher.sessionAt(CLIENT);
        Session holder = dispatcher.sessionAt(OTHER);
        // a's NAT now maps it to OTHER's address: a packet from there is probed with a challenge.
        dispatcher.onDatagram(OTHER, a.packet(new Ping(new byte[] {1})));
        Sent probe = sent.stream().filter(x -> x.to().equals(OTHER) && a.open(x.datagram()) instanceof Ping)
                .findFirst().orElseThrow();
        sent.clear();
        Ping challenge = (Ping) a.open(probe.datagram());
        assertEquals(holder, dispatcher.sessionAt(OTHER), "nothing moves before the probe is answered");
        dispatcher.onDatagram(OTHER, a.packet(new PingReply(challenge.body())));
        assertEquals(movingSession, dispatcher.sessionAt(OTHER));
        assertNull(dispatcher.sessionAt(CLIENT), "the old address is let go");
        assertTrue(holder.isClosed(), "the session whose address was taken is closed");
        assertEquals(1, dispatcher.sessionCount());
        assertEquals(1, metrics.counted("address_taken_over"));
    }

    @Test
    void aListenerThatThrowsIsContainedToItsDatagramAndTheTickGoesOn() {
        Dispatcher withBadApp = new Dispatcher(certificate, new CookieJar(random, () -> now[0]),
                new ResponderKeying(List.of(DhGroup.GROUP_2), new EphemeralKeys(random, () -> now[0], 0)), 2,
                SessionSettings.DEFAULT, (to, d) -> sent.add(new Sent(to, d)), () -> now[0], keyingQueue::add,
                Runnable::run, new Application() {
                    @Override
                    public void onIntroductionRequest(IntroductionRequest request) {
                        throw new IllegalStateException("application bug");
                    }
                }, metrics);
        byte[] peer = new byte[32];
        peer[0] = 9;
        assertFalse(withBadApp.onDatagram(CLIENT, startup(new IHello(EndpointDiscriminator.ofFingerprint(peer), new byte[16]))));
        assertEquals(1, metrics.dropped("internal_error"));
        withBadApp.onDatagram(CLIENT, startup(new IHello(EndpointDiscriminator.ofAncillaryData(URL), new byte[16])));
        assertInstanceOf(RHello.class, sent.remove(0).chunk(), "the next datagram is served");
    }

    @Test
    void onlyAddressesThatProvedThemselvesAreWorthARoute() {
        assertFalse(dispatcher.onDatagram(CLIENT, startup(new IHello(EndpointDiscriminator.ofAncillaryData(URL), new byte[16]))));
        RHello rhello = assertInstanceOf(RHello.class, sent.remove(0).chunk());
        assertFalse(dispatcher.onDatagram(CLIENT, startup(keying(new byte[64], 3))), "a forged cookie proves nothing");
        assertTrue(dispatcher.onDatagram(CLIENT, startup(keying(rhello.cookie(), 3))));
        runKeying();
        ClientEnd a = new ClientEnd(assertInstanceOf(RIKeying.class, sent.remove(0).chunk()));
        assertTrue(dispatcher.onDatagram(CLIENT, a.packet(new Ping(new byte[] {1}))));
        assertFalse(dispatcher.onDatagram(OTHER, a.packet(new Ping(new byte[] {2}))), "not yet probed");
        assertTrue(dispatcher.hasSessionAt(CLIENT));
    }

    @Test
    void theDefaultCertificateIsStratusByteForByteButForItsRandomBytes() {
        byte[] extra = new byte[64];
        java.util.Arrays.fill(extra, (byte) 0xa5);
        List<DhGroup> groups = ServerConfig.DEFAULT_DH_GROUPS.stream().map(g -> DhGroup.byId(g).orElseThrow()).toList();
        assertArrayEquals(concat(hex("01 0a 41 0e"), extra, hex("02 15 02 02 15 05 02 15 0e")),
                Certificate.ephemeral(groups, extra).encoded());
    }

    @Test
    void theRHelloIsStratusShaped() {
        byte[] tag = new byte[16];
        java.util.Arrays.fill(tag, (byte) 0x7d);
        dispatcher.onDatagram(CLIENT, startup(new IHello(EndpointDiscriminator.ofAncillaryData(URL), tag)));
        byte[] datagram = sent.remove(0).datagram();
        Packet packet = Datagrams.decode(datagram, PacketCipher.DEFAULT).packet();
        assertEquals(0x0b, packet.flags(), "startup, timestamp, no echo (Stratus: 0B)");
        RHello rhello = assertInstanceOf(RHello.class, packet.chunks().get(0));
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        expected.writeBytes(hex("10"));
        expected.writeBytes(tag);
        expected.writeBytes(hex("40"));
        expected.writeBytes(rhello.cookie());
        expected.writeBytes(certificate.encoded());
        io.netty.buffer.ByteBuf body = io.netty.buffer.Unpooled.buffer();
        rhello.encodePayload(body);
        assertArrayEquals(expected.toByteArray(), org.rtmfpd.wire.ByteBufs.toArray(body),
                "10 <tag echo> | 40 <64-byte cookie> | certificate");
        assertArrayEquals(concat(hex("01 0a 41 0e"), new byte[64], hex("02 15 02")), rhello.certificate(),
                "Stratus's option order: ancillary data, extra randomness, groups");
    }

    private Dispatcher withLimits(AdmissionLimits limits, int queueLimit) {
        return new Dispatcher(certificate, new CookieJar(random, () -> now[0]),
                new ResponderKeying(List.of(DhGroup.GROUP_2), new EphemeralKeys(random, () -> now[0], 60_000)), queueLimit,
                limits, SessionSettings.DEFAULT, (to, d) -> sent.add(new Sent(to, d)), () -> now[0], keyingQueue::add,
                Runnable::run, new Application(), metrics);
    }

    /** IHello then IIKeying from {@code from}, on {@code d}; returns whether DH work was queued. */
    private boolean handshake(Dispatcher d, InetSocketAddress from, int initiatorSessionId) {
        d.onDatagram(from, startup(new IHello(EndpointDiscriminator.ofAncillaryData(URL), new byte[16])));
        RHello rhello = assertInstanceOf(RHello.class, sent.remove(sent.size() - 1).chunk());
        int queued = keyingQueue.size();
        d.onDatagram(from, startup(keying(rhello.cookie(), initiatorSessionId)));
        return keyingQueue.size() > queued;
    }

    @Test
    void oneSourceHasAtMostItsShareOfHandshakesInProgress() {
        Dispatcher d = withLimits(AdmissionLimits.DEFAULT, 16);
        for (int i = 0; i < AdmissionLimits.DEFAULT_MAX_HANDSHAKES_PER_SOURCE; i++) {
            assertTrue(handshake(d, new InetSocketAddress("198.51.100.7", 40000 + i), 10 + i));
        }
        assertFalse(handshake(d, new InetSocketAddress("198.51.100.7", 41000), 99), "one too many from one source");
        assertEquals(1, metrics.dropped("source_handshakes"));
        assertTrue(handshake(d, new InetSocketAddress("198.51.100.8", 40000), 100), "another source still gets in");
        runKeying();
        assertTrue(handshake(d, new InetSocketAddress("198.51.100.7", 41000), 99), "room again once the work is done");
    }

    @Test
    void theServerAndEachSourceHoldAtMostTheirSessions() {
        Dispatcher d = withLimits(new AdmissionLimits(3, 2, 4, 20), 16);
        assertTrue(handshake(d, new InetSocketAddress("198.51.100.7", 40000), 1));
        assertTrue(handshake(d, new InetSocketAddress("198.51.100.7", 40001), 2));
        runKeying();
        assertFalse(handshake(d, new InetSocketAddress("198.51.100.7", 40002), 3), "a third session from one source");
        assertEquals(1, metrics.dropped("source_sessions"));
        assertTrue(handshake(d, new InetSocketAddress("198.51.100.9", 40000), 4));
        runKeying();
        assertEquals(3, d.sessionCount());
        assertFalse(handshake(d, new InetSocketAddress("198.51.100.10", 40000), 5), "the server is full");
        assertEquals(1, metrics.dropped("max_sessions"));
    }

    @Test
    void iiKeyingsFromOneSourceAreRateLimited() {
        Dispatcher d = withLimits(new AdmissionLimits(100_000, 1_000, 1_000, 5), 10_000);
        int queued = 0;
        for (int i = 0; i < 30; i++) {
            if (handshake(d, new InetSocketAddress("198.51.100.7", 40000 + i), 10 + i)) {
                queued++;
            }
        }
        assertEquals(10, queued, "a burst of twice the rate");
        assertEquals(20, metrics.dropped("source_iikeying_rate"));
        now[0] += 1_000;
        assertTrue(handshake(d, new InetSocketAddress("198.51.100.7", 41000), 99), "then the rate");
    }

    @Test
    void pastTheKeyingQueuesLimitASourceWithNoSessionStillFindsItsReserve() {
        Dispatcher d = withLimits(new AdmissionLimits(100_000, 1_000, 100, 100), 4);
        assertTrue(handshake(d, new InetSocketAddress("198.51.100.7", 40000), 1));
        runKeying();
        for (int i = 1; i <= 4; i++) {
            assertTrue(handshake(d, new InetSocketAddress("198.51.100.7", 40000 + i), 1 + i));
        }
        assertFalse(handshake(d, new InetSocketAddress("198.51.100.7", 40005), 6), "a held source stops at the limit");
        assertTrue(handshake(d, new InetSocketAddress("198.51.100.8", 40000), 7), "a new source uses the reserve");
        assertFalse(handshake(d, new InetSocketAddress("198.51.100.9", 40000), 8), "which is a quarter of the limit");
        assertEquals(Dispatcher.keyingQueueCapacity(4), d.keyingQueueLength());
    }

    @Test
    void aLateCopyOfTheIIKeyingAfterTheSessionsFirstPacketLeavesTheSessionOpen() {
        // Over a network that duplicates and reorders, a copy of the IIKeying can arrive after the
        // initiator's first session packet, when the RIKeying is no longer kept for repeats.
        RHello rhello = hello(CLIENT);
        IIKeying iikeying = keying(rhello.cookie(), 31);
        dispatcher.onDatagram(CLIENT, startup(iikeying));
        runKeying();
        ClientEnd a = new ClientEnd(assertInstanceOf(RIKeying.class, sent.remove(0).chunk()));
        Session session = dispatcher.sessionAt(CLIENT);
        assertTrue(dispatcher.onDatagram(CLIENT, a.packet(new Ping(new byte[] {1}))));
        sent.clear();
        dispatcher.onDatagram(CLIENT, startup(iikeying));
        runKeying();
        assertEquals(session, dispatcher.sessionAt(CLIENT), "the open session stays");
        assertFalse(session.isClosed());
        assertEquals(1, dispatcher.sessionCount());
        assertEquals(1, metrics.dropped("iikeying_for_open_session"));
    }
}
