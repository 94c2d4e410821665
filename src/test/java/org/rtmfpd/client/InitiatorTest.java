package org.rtmfpd.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rtmfpd.client.FakeNetwork.ManualClock;
import org.rtmfpd.client.FakeNetwork.Recorder;
import org.rtmfpd.client.FakeNetwork.Sent;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.CertificateOptions;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.DhKeyPair;
import org.rtmfpd.crypto.EndpointDiscriminator;
import org.rtmfpd.crypto.KeyingComponent;
import org.rtmfpd.crypto.Negotiation;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.crypto.SessionCipher;
import org.rtmfpd.crypto.SessionKeys;
import org.rtmfpd.handshake.EphemeralKeys;
import org.rtmfpd.handshake.ResponderKeying;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.wire.CookieChange;
import org.rtmfpd.wire.IHello;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.Packet;
import org.rtmfpd.wire.PeerAddress;
import org.rtmfpd.wire.RHello;
import org.rtmfpd.wire.RIKeying;
import org.rtmfpd.wire.Redirect;

/** The initiator handshake without sockets: datagrams are collected, answers built with the crypto classes. */
class InitiatorTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ClientIdentity FLASH_LIKE = fullLengthIdentity();
    private static final String URL = "rtmfp://127.0.0.1:1935/DEVKEY";
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 1935);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
    private static final int ISID = 0x0a0b0c0d;
    private static final byte[] COOKIE = "cookie-0123456789".getBytes(StandardCharsets.US_ASCII);

    private final ManualClock clock = new ManualClock();
    private final Recorder net = new Recorder();
    private final Events events = new Events();

    private static final class Events implements Initiator.Listener {
        Initiator.Opened opened;
        RtmfpException failure;
        final List<InetSocketAddress> hellos = new ArrayList<>();

        @Override
        public void onHelloSent(Initiator initiator, InetSocketAddress to, int attempt) {
            hellos.add(to);
        }

        @Override
        public void onOpened(Initiator initiator, Initiator.Opened o) {
            opened = o;
        }

        @Override
        public void onFailed(Initiator initiator, RtmfpException f) {
            failure = f;
        }
    }

    private Initiator initiator(ClientIdentity identity, ClientSettings settings, byte[] epd) {
        return new Initiator(identity, settings, epd, ISID, net, clock, RANDOM, events);
    }

    private static Certificate serverCertificate(DhGroup... groups) {
        return Certificate.ephemeral(List.of(groups), new byte[64]);
    }

    /**
     * A Flash-like identity whose public key takes all 128 bytes: one key in 256 has a leading zero byte
     * and is sent one byte shorter (minimal length), which the byte counts below do not describe.
     */
    private static ClientIdentity fullLengthIdentity() {
        for (int attempt = 0; attempt < 64; attempt++) {
            ClientIdentity identity = ClientIdentity.generate(RANDOM);
            if (identity.certificate().encoded().length == 132) {
                return identity;
            }
        }
        throw new IllegalStateException("no full-length DH public key in 64 tries");
    }

    @Test
    void ihelloIsAFlashStartupPacketWithTheUrlAndASixteenByteTag() {
        Initiator initiator = initiator(FLASH_LIKE, ClientSettings.FLASH_LIKE, Initiator.serverEpd(URL));
        initiator.start(List.of(SERVER));
        Sent sent = net.drain().get(0);
        assertEquals(SERVER, sent.to());
        assertEquals(0, sent.sessionId());
        Packet packet = Datagrams.decode(sent.datagram(), PacketCipher.DEFAULT).packet();
        assertEquals(0x0b, packet.flags());
        IHello hello = assertInstanceOf(IHello.class, packet.chunks().get(0));
        assertEquals(String.format("%02x0a", URL.length() + 1) + ByteBufUtil.hexDump(URL.getBytes(StandardCharsets.US_ASCII)),
                ByteBufUtil.hexDump(hello.epd()));
        assertEquals(16, hello.tag().length);
        assertArrayEquals(initiator.tag(), hello.tag());
    }

    @Test
    void flashLikeHandshakeAgainstAnEphemeralServer() {
        Initiator initiator = initiator(FLASH_LIKE, ClientSettings.FLASH_LIKE, Initiator.serverEpd(URL));
        initiator.start(List.of(SERVER));
        net.drain();
        initiator.onRHello(new RHello(initiator.tag(), COOKIE,
                serverCertificate(DhGroup.GROUP_16, DhGroup.GROUP_14, DhGroup.GROUP_2).encoded()), SERVER);
        assertEquals(Initiator.State.KEYING_SENT, initiator.state());

        Sent sent = net.drain().get(0);
        assertEquals(SERVER, sent.to());
        assertEquals(0, sent.sessionId());
        IIKeying keying = assertInstanceOf(IIKeying.class, sent.startupChunk());
        assertEquals(ISID, keying.initiatorSessionId());
        assertArrayEquals(COOKIE, keying.cookie());
        assertArrayEquals(FLASH_LIKE.certificate().encoded(), keying.certificate());
        assertEquals(132, keying.certificate().length);
        assertEquals("81021d02", ByteBufUtil.hexDump(keying.certificate(), 0, 4));
        assertArrayEquals(new byte[] {0x58}, keying.signature());
        String skic = ByteBufUtil.hexDump(keying.skic());
        assertEquals(76, keying.skic().length);
        assertTrue(skic.startsWith("021d02410e"), skic);
        assertTrue(skic.endsWith("031a020a021e02"), skic);

        // The responder side, built from the server's classes: ephemeral DH, answers flags 0 to "on request".
        ResponderKeying responder = new ResponderKeying(List.of(DhGroup.GROUP_2), new EphemeralKeys(RANDOM, clock, 0));
        ResponderKeying.Keyed keyed = assertInstanceOf(ResponderKeying.Keyed.class, responder.compute(keying));
        initiator.onRIKeying(new RIKeying(0x11223344, keyed.skrc(), new byte[] {0x58}), SERVER);

        assertEquals(Initiator.State.OPEN, initiator.state());
        Initiator.Opened opened = events.opened;
        assertNotNull(opened);
        assertEquals(ISID, opened.nearId());
        assertEquals(0x11223344, opened.farId());
        assertEquals(DhGroup.GROUP_2, opened.group());
        assertFalseSequenceNumbers(opened.cipher());
        assertCiphersTalk(opened.cipher(), keyed.cipher());
    }

    @Test
    void hmacAndSequenceNumbersWhenRequired() {
        Initiator initiator = initiator(FLASH_LIKE, ClientSettings.HMAC_SSEQ_REQUIRED, Initiator.serverEpd(URL));
        initiator.start(List.of(SERVER));
        net.drain();
        initiator.onRHello(new RHello(initiator.tag(), COOKIE, serverCertificate(DhGroup.GROUP_2).encoded()), SERVER);
        IIKeying keying = (IIKeying) net.drain().get(0).startupChunk();
        assertTrue(ByteBufUtil.hexDump(keying.skic()).endsWith("031a0710021e07"));

        ResponderKeying responder = new ResponderKeying(List.of(DhGroup.GROUP_2), new EphemeralKeys(RANDOM, clock, 0));
        ResponderKeying.Keyed keyed = (ResponderKeying.Keyed) responder.compute(keying);
        initiator.onRIKeying(new RIKeying(7, keyed.skrc(), new byte[] {0x58}), SERVER);
        PacketCipher cipher = events.opened.cipher();
        assertTrue(cipher.sendsSequenceNumbers() && cipher.receivesSequenceNumbers());
        assertCiphersTalk(cipher, keyed.cipher());
    }

    @Test
    void requiredHmacRefusedByTheResponderFailsKeying() {
        Initiator initiator = initiator(FLASH_LIKE, ClientSettings.HMAC_SSEQ_REQUIRED, Initiator.serverEpd(URL));
        initiator.start(List.of(SERVER));
        initiator.onRHello(new RHello(initiator.tag(), COOKIE, serverCertificate(DhGroup.GROUP_2).encoded()), SERVER);
        DhKeyPair server = DhGroup.GROUP_2.generateKeyPair(RANDOM);
        KeyingComponent skrc = KeyingComponent.builder().hmac(Negotiation.NONE, 0).sseq(Negotiation.NONE)
                .ephemeralKey(DhGroup.GROUP_2, server.publicKeyBytes()).build();
        initiator.onRIKeying(new RIKeying(7, skrc.encoded(), new byte[] {0x58}), SERVER);
        assertEquals(Initiator.State.FAILED, initiator.state());
        assertEquals(RtmfpException.Reason.KEYING_FAILED, events.failure.reason());
    }

    @Test
    void rhelloWithAnotherTagIsIgnoredAndACertificateWithoutAncillaryDataIsRefused() {
        Initiator initiator = initiator(FLASH_LIKE, ClientSettings.FLASH_LIKE, Initiator.serverEpd(URL));
        initiator.start(List.of(SERVER));
        net.drain();
        initiator.onRHello(new RHello(new byte[16], COOKIE, serverCertificate(DhGroup.GROUP_2).encoded()), SERVER);
        assertEquals(Initiator.State.HELLO_SENT, initiator.state());
        assertTrue(net.drain().isEmpty());

        byte[] noAncillary = OptionList.of(Option.ofVlu(CertificateOptions.SUPPORTED_GROUP, 2)).toBytes();
        initiator.onRHello(new RHello(initiator.tag(), COOKIE, noAncillary), SERVER);
        assertEquals(Initiator.State.FAILED, initiator.state());
        assertEquals(RtmfpException.Reason.BAD_CERTIFICATE, events.failure.reason());
        assertTrue(events.failure.getMessage().contains("ancillary"), events.failure.getMessage());
    }

    @Test
    void noCommonGroupIsABadCertificate() {
        Initiator initiator = initiator(FLASH_LIKE, ClientSettings.FLASH_LIKE, Initiator.serverEpd(URL));
        initiator.start(List.of(SERVER));
        initiator.onRHello(new RHello(initiator.tag(), COOKIE, serverCertificate(DhGroup.GROUP_14).encoded()), SERVER);
        assertEquals(RtmfpException.Reason.BAD_CERTIFICATE, events.failure.reason());
    }

    @Test
    void retransmitsAfterOneSecondThenEachGapOneAndAHalfSecondsLongerUntilTheDeadline() {
        ClientSettings settings = ClientSettings.FLASH_LIKE.withOpenTimeout(Duration.ofSeconds(10));
        Initiator initiator = initiator(FLASH_LIKE, settings, Initiator.serverEpd(URL));
        initiator.start(List.of(SERVER));
        List<Long> sendTimes = new ArrayList<>();
        long start = clock.now;
        for (int ms = 0; ms <= 10_000; ms += 10) {
            clock.now = start + ms;
            initiator.tick();
            for (Sent ignored : net.drain()) {
                sendTimes.add((long) ms);
            }
        }
        assertEquals(List.of(0L, 1000L, 3500L, 7500L), sendTimes);
        assertEquals(Initiator.State.FAILED, initiator.state());
        assertEquals(RtmfpException.Reason.TIMEOUT, events.failure.reason());
    }

    @Test
    void iikeyingIsRetransmittedOnTheSameScheduleAndACookieChangeReplacesTheCookie() {
        Initiator initiator = initiator(FLASH_LIKE, ClientSettings.FLASH_LIKE, Initiator.serverEpd(URL));
        initiator.start(List.of(SERVER));
        clock.advance(500);
        initiator.onRHello(new RHello(initiator.tag(), COOKIE, serverCertificate(DhGroup.GROUP_2).encoded()), SERVER);
        net.drain();
        clock.advance(999);
        initiator.tick();
        assertTrue(net.drain().isEmpty());
        clock.advance(1);
        initiator.tick();
        IIKeying again = (IIKeying) net.drain().get(0).startupChunk();
        assertArrayEquals(COOKIE, again.cookie());

        byte[] fresh = "new-cookie".getBytes(StandardCharsets.US_ASCII);
        initiator.onCookieChange(new CookieChange(new byte[] {1}, fresh), SERVER);
        assertTrue(net.drain().isEmpty(), "a Cookie Change for another cookie is ignored");
        initiator.onCookieChange(new CookieChange(COOKIE, fresh), SERVER);
        IIKeying changed = (IIKeying) net.drain().get(0).startupChunk();
        assertArrayEquals(fresh, changed.cookie());
        assertArrayEquals(again.skic(), changed.skic(), "the SKIC stays the same across retransmissions");
    }

    @Test
    void redirectSendsHelloToEachListedAddressUpToTwentyFour() {
        byte[] peerId = new byte[32];
        Initiator initiator = initiator(FLASH_LIKE, ClientSettings.FLASH_LIKE, Initiator.peerEpd(peerId));
        initiator.start(List.of(SERVER));
        net.drain();
        List<PeerAddress> listed = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            listed.add(new PeerAddress(new InetSocketAddress("127.0.0.1", 30000 + i),
                    i == 0 ? PeerAddress.Origin.OBSERVED : PeerAddress.Origin.REPORTED));
        }
        initiator.onRedirect(new Redirect(new byte[16], listed), SERVER);
        assertTrue(net.drain().isEmpty(), "a Redirect with another tag is ignored");
        initiator.onRedirect(new Redirect(initiator.tag(), listed), SERVER);
        List<Sent> sent = net.drain();
        assertEquals(Initiator.MAX_DESTINATIONS - 1, sent.size());
        assertEquals(new InetSocketAddress("127.0.0.1", 30000), sent.get(0).to());
        IHello hello = assertInstanceOf(IHello.class, sent.get(0).startupChunk());
        assertArrayEquals(EndpointDiscriminator.ofFingerprint(peerId), hello.epd());
        assertArrayEquals(initiator.tag(), hello.tag());
        assertEquals(Initiator.MAX_DESTINATIONS, initiator.destinations().size());
    }

    @Test
    void peerAnswersFromItsOwnAddressWithAStaticCertificate() {
        ClientIdentity peer = ClientIdentity.generate(ClientIdentity.RTMFP_CPP_GROUPS.subList(1, 3), RANDOM);
        ClientIdentity me = ClientIdentity.generate(List.of(DhGroup.GROUP_2, DhGroup.GROUP_14), RANDOM);
        Initiator initiator = initiator(me, ClientSettings.FLASH_LIKE, Initiator.peerEpd(peer.peerId()));
        initiator.start(List.of(SERVER));
        net.drain();

        // Someone else's certificate from the right tag: not the wanted peer, so keep waiting.
        initiator.onRHello(new RHello(initiator.tag(), COOKIE, FLASH_LIKE.certificate().encoded()), PEER);
        assertEquals(Initiator.State.HELLO_SENT, initiator.state());

        initiator.onRHello(new RHello(initiator.tag(), COOKIE, peer.certificate().encoded()), PEER);
        Sent sent = net.drain().get(0);
        assertEquals(PEER, sent.to(), "the IIKeying goes where the RHello came from");
        IIKeying keying = (IIKeying) sent.startupChunk();
        KeyingComponent skic = KeyingComponent.parse(keying.skic());
        assertEquals(2, skic.groupSelect().getAsInt(), "the first of this client's groups that the peer has");

        // The peer's side as rtmfp-cpp does it with static keys: no key in the SKRC, static-static DH.
        KeyingComponent skrc = KeyingComponent.builder().sseq(Negotiation.ON_REQUEST).hmac(Negotiation.ON_REQUEST, 16)
                .extraRandomness(new byte[64]).build();
        byte[] secret = peer.keyPair(DhGroup.GROUP_2).orElseThrow()
                .agree(Certificate.parse(keying.certificate()).staticKey(DhGroup.GROUP_2).orElseThrow()).orElseThrow();
        Optional<PacketCipher> peerCipher = SessionCipher.negotiate(
                SessionKeys.derive(secret, skrc.encoded(), keying.skic()), skrc, skic);
        initiator.onRIKeying(new RIKeying(99, skrc.encoded(), new byte[] {0x58}), PEER);
        assertEquals(Initiator.State.OPEN, initiator.state());
        assertArrayEquals(peer.peerId(), events.opened.responderCertificate().fingerprint());
        assertEquals(PEER, events.opened.farAddress());
        assertCiphersTalk(events.opened.cipher(), peerCipher.orElseThrow());
    }

    @Test
    void peerSearchThatOnlyMeetsStrangersEndsAsABadCertificate() {
        ClientSettings settings = ClientSettings.FLASH_LIKE.withOpenTimeout(Duration.ofSeconds(2));
        Initiator initiator = initiator(FLASH_LIKE, settings, Initiator.peerEpd(new byte[32]));
        initiator.start(List.of(SERVER));
        initiator.onRHello(new RHello(initiator.tag(), COOKIE, FLASH_LIKE.certificate().encoded()), PEER);
        clock.advance(2_000);
        initiator.tick();
        assertEquals(RtmfpException.Reason.BAD_CERTIFICATE, events.failure.reason());
        assertNull(events.opened);
    }

    private static void assertFalseSequenceNumbers(PacketCipher cipher) {
        assertTrue(!cipher.sendsSequenceNumbers() && !cipher.receivesSequenceNumbers());
    }

    /** Each side opens what the other sealed. */
    private static void assertCiphersTalk(PacketCipher a, PacketCipher b) {
        byte[] ping = ByteBufUtil.decodeHexDump("891234010000");
        byte[] fromA = a.seal(ping, 0, ping.length, 0);
        PacketCipher.Opened atB = b.open(fromA, 0, fromA.length);
        assertArrayEquals(ping, Arrays.copyOfRange(atB.plain(), atB.offset(), atB.offset() + ping.length));
        byte[] fromB = b.seal(ping, 0, ping.length, 0);
        PacketCipher.Opened atA = a.open(fromB, 0, fromB.length);
        assertArrayEquals(ping, Arrays.copyOfRange(atA.plain(), atA.offset(), atA.offset() + ping.length));
    }
}
