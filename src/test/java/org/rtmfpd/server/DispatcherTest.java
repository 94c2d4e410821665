package org.rtmfpd.server;

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
import org.rtmfpd.handshake.ServerApplication;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.session.RecvFlow;
import org.rtmfpd.session.Session;
import org.rtmfpd.session.SessionSettings;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.CookieChange;
import org.rtmfpd.wire.IHello;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.Packet;
import org.rtmfpd.wire.RHello;
import org.rtmfpd.wire.RIKeying;

/** The responder's startup exchanges, driven without sockets: datagrams in, datagrams out. */
class DispatcherTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.1", 50001);
    private static final String URL = "rtmfp://127.0.0.1/KEY";

    private final SecureRandom random = new SecureRandom();
    private final long[] now = {5_000_000};
    private final List<Sent> sent = new ArrayList<>();
    private final List<Runnable> keyingQueue = new ArrayList<>();
    private final ServerMetrics metrics = new ServerMetrics();
    private final List<IntroductionRequest> introductions = new ArrayList<>();
    private final Certificate certificate = Certificate.ephemeral(List.of(DhGroup.GROUP_2), new byte[64]);
    private final Dispatcher dispatcher = new Dispatcher(certificate, new CookieJar(random, () -> now[0]),
            new ResponderKeying(List.of(DhGroup.GROUP_2), new EphemeralKeys(random, () -> now[0], 0)), 2,
            SessionSettings.DEFAULT, (to, d) -> sent.add(new Sent(to, d)), () -> now[0], keyingQueue::add,
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

    private final class Application implements ServerApplication {
        @Override
        public void onIntroductionRequest(IntroductionRequest request) {
            introductions.add(request);
        }

        @Override
        public boolean onFlowOpened(Session session, RecvFlow flow) {
            return true;
        }

        @Override
        public void onMessage(Session session, RecvFlow flow, byte[] message) {
        }

        @Override
        public void onClosed(Session session) {
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

    private IIKeying keying(byte[] cookie, int initiatorSessionId) {
        KeyingComponent skic = KeyingComponent.builder().groupSelect(DhGroup.GROUP_2).extraRandomness(new byte[64])
                .hmac(Negotiation.ON_REQUEST, 10).sseq(Negotiation.ON_REQUEST).build();
        return new IIKeying(initiatorSessionId, cookie, clientCertificate.encoded(), skic.encoded(), new byte[] {0x58});
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
        dispatcher.onDatagram(CLIENT, startup(keying(a.cookie(), 1)));
        dispatcher.onDatagram(OTHER, startup(keying(b.cookie(), 2)));
        dispatcher.onDatagram(third, startup(keying(c.cookie(), 3)));
        assertEquals(2, keyingQueue.size(), "limit of 2");
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
    void idleSessionsAreTickedOnceInTen() {
        openSession(CLIENT, 12);
        dispatcher.tick();
        now[0] += SessionSettings.DEFAULT.idleTimeoutMillis() + 1_000;
        for (int i = 1; i < Dispatcher.FULL_TICK_EVERY; i++) {
            dispatcher.tick();
        }
        assertEquals(1, dispatcher.sessionCount(), "an idle session waits for the tick that runs every session");
        dispatcher.tick();
        assertEquals(0, dispatcher.sessionCount(), "then its idle timeout closes it");
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
}
