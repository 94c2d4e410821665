package org.rtmfpd.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtmfpd.client.FakeNetwork.ManualClock;
import org.rtmfpd.client.FakeNetwork.Recorder;
import org.rtmfpd.client.FakeNetwork.Sent;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.KeyingComponent;
import org.rtmfpd.crypto.Negotiation;
import org.rtmfpd.wire.CookieChange;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.RHello;
import org.rtmfpd.wire.RIKeying;

/** The client's responder side: RHello for its own peer ID only, cookies, replayed RIKeying. */
class PeerResponderTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ClientIdentity ME = ClientIdentity.generate(RANDOM);
    private static final ClientIdentity THEM = ClientIdentity.generate(ClientIdentity.RTMFP_CPP_GROUPS, RANDOM);
    private static final InetSocketAddress INITIATOR = new InetSocketAddress("127.0.0.1", 40001);
    private static final InetSocketAddress ELSEWHERE = new InetSocketAddress("127.0.0.1", 40002);
    private static final byte[] TAG = new byte[16];

    private final ManualClock clock = new ManualClock();
    private final Recorder net = new Recorder();
    private final PeerResponder responder = new PeerResponder(ME, ClientSettings.FLASH_LIKE, net, clock, RANDOM);
    private int nextId = 500;

    private RHello hello() {
        assertTrue(responder.onHello(Initiator.peerEpd(ME.peerId()), TAG, INITIATOR));
        Sent sent = net.drain().get(0);
        assertEquals(INITIATOR, sent.to());
        assertEquals(0, sent.sessionId());
        return assertInstanceOf(RHello.class, sent.startupChunk());
    }

    private IIKeying keying(byte[] cookie, KeyingComponent skic) {
        return new IIKeying(0x1234, cookie, THEM.certificate().encoded(), skic.encoded(), new byte[] {0x58});
    }

    private static KeyingComponent skic(DhGroup group, Negotiation flags) {
        return KeyingComponent.builder().groupSelect(group).extraRandomness(new byte[64]).hmac(flags, 16).sseq(flags).build();
    }

    @Test
    void answersOnlyHellosThatNameThisClient() {
        RHello hello = hello();
        assertArrayEquals(TAG, hello.tagEcho());
        assertArrayEquals(ME.certificate().encoded(), hello.certificate());
        assertFalse(responder.onHello(Initiator.peerEpd(THEM.peerId()), TAG, INITIATOR));
        assertFalse(responder.onHello(Initiator.serverEpd("rtmfp://h/K"), TAG, INITIATOR));
        assertFalse(responder.onHello(new byte[] {0x05}, TAG, INITIATOR));
        assertTrue(net.drain().isEmpty());
    }

    @Test
    void validKeyingIsAnsweredOnceAndReplayed() {
        RHello hello = hello();
        KeyingComponent skic = skic(DhGroup.GROUP_2, Negotiation.REQUIRED);
        PeerResponder.Accepted accepted = responder.onIIKeying(keying(hello.cookie(), skic), INITIATOR, () -> nextId++);
        assertNotNull(accepted);
        assertEquals(500, accepted.nearId());
        assertEquals(0x1234, accepted.farId());
        assertArrayEquals(THEM.peerId(), accepted.initiatorCertificate().fingerprint());
        assertTrue(accepted.cipher().sendsSequenceNumbers(), "the initiator required sequence numbers");
        Sent sent = net.drain().get(0);
        assertEquals(0x1234, sent.sessionId(), "RIKeying goes to the initiator's session ID");
        RIKeying answer = assertInstanceOf(RIKeying.class, sent.startupChunk());
        assertEquals(500, answer.responderSessionId());
        KeyingComponent skrc = KeyingComponent.parse(answer.skrc());
        assertTrue(skrc.ephemeralKey().isEmpty(), "static keying: no public key in the SKRC");
        assertEquals(Negotiation.SEND_ALWAYS | Negotiation.SEND_ON_REQUEST, skrc.sseq().flags());

        assertNull(responder.onIIKeying(keying(hello.cookie(), skic), INITIATOR, () -> nextId++));
        assertArrayEquals(sent.datagram(), net.drain().get(0).datagram(), "a repeated IIKeying gets the same RIKeying");
    }

    @Test
    void cookieFromAnotherAddressGetsACookieChangeAndABadCookieSilence() {
        RHello hello = hello();
        KeyingComponent skic = skic(DhGroup.GROUP_2, Negotiation.ON_REQUEST);
        assertNull(responder.onIIKeying(keying(hello.cookie(), skic), ELSEWHERE, () -> nextId++));
        Sent sent = net.drain().get(0);
        assertEquals(ELSEWHERE, sent.to());
        assertEquals(0x1234, sent.sessionId());
        CookieChange change = assertInstanceOf(CookieChange.class, sent.startupChunk());
        assertArrayEquals(hello.cookie(), change.oldCookie());
        assertNotNull(responder.onIIKeying(keying(change.newCookie(), skic), ELSEWHERE, () -> nextId++));

        assertNull(responder.onIIKeying(keying(new byte[40], skic), INITIATOR, () -> nextId++));
        assertTrue(net.drain().stream().noneMatch(s -> s.to().equals(INITIATOR)));
    }

    @Test
    void aGroupThisClientHasNoKeyForIsRefused() {
        RHello hello = hello();
        assertNull(responder.onIIKeying(keying(hello.cookie(), skic(DhGroup.GROUP_14, Negotiation.ON_REQUEST)),
                INITIATOR, () -> nextId++));
        assertTrue(net.drain().isEmpty());
        List<Sent> none = net.drain();
        assertTrue(none.isEmpty());
    }
}
