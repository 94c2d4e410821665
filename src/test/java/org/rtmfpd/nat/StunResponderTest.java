package org.rtmfpd.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StunResponderTest {
    private static final InetSocketAddress IP1_PORT1 = new InetSocketAddress("192.0.2.1", 1935);
    private static final InetSocketAddress IP2_PORT2 = new InetSocketAddress("192.0.2.2", 3478);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.9", 40001);
    private long now = 1_000;

    private StunResponder responder(boolean discovery, boolean proven) {
        return new StunResponder(new StunEndpoints(IP1_PORT1, discovery ? Optional.of(IP2_PORT2) : Optional.empty()),
                new StunLimits(() -> now), a -> proven, "rtmfpd");
    }

    private static byte[] request(StunMessage.Attribute... attributes) {
        byte[] tid = new byte[12];
        tid[0] = 7;
        List<StunMessage.Attribute> list = new ArrayList<>(List.of(attributes));
        list.add(StunAttributes.software("rtmfpd probe"));
        return new StunMessage(StunMessage.BINDING_REQUEST, tid, list).encode();
    }

    private static StunMessage reply(StunResponder.Outcome o, SocketRole expectedFrom) throws StunException {
        StunResponder.Reply r = assertInstanceOf(StunResponder.Reply.class, o);
        assertEquals(expectedFrom, r.from());
        return StunMessage.decode(r.datagram());
    }

    @Test
    void answersABindingRequestWithTheSourceAddressAndSoftware() throws Exception {
        StunMessage m = reply(responder(false, false).answer(SocketRole.PRIMARY, CLIENT, request()), SocketRole.PRIMARY);
        assertEquals(StunMessage.BINDING_SUCCESS, m.type());
        assertEquals(CLIENT, StunAttributes.readAddress(m.attribute(StunAttributes.XOR_MAPPED_ADDRESS).orElseThrow().value(),
                m.transactionId()));
        assertEquals("rtmfpd", new String(m.attribute(StunAttributes.SOFTWARE).orElseThrow().value()));
        assertTrue(m.attribute(StunAttributes.OTHER_ADDRESS).isEmpty(), "no OTHER-ADDRESS without an alternate");
        assertTrue(m.attribute(StunAttributes.RESPONSE_ORIGIN).isEmpty());
    }

    @Test
    void withAnAlternateItNamesTheOtherAddressAndTheResponseOrigin() throws Exception {
        StunResponder r = responder(true, false);
        StunMessage m = reply(r.answer(SocketRole.PRIMARY, CLIENT, request()), SocketRole.PRIMARY);
        assertEquals(IP2_PORT2, StunAttributes.readAddress(m.attribute(StunAttributes.OTHER_ADDRESS).orElseThrow().value(), null));
        assertEquals(IP1_PORT1, StunAttributes.readAddress(m.attribute(StunAttributes.RESPONSE_ORIGIN).orElseThrow().value(), null));
        StunMessage fromAlt = reply(r.answer(SocketRole.ALTERNATE_ADDRESS, CLIENT, request()), SocketRole.ALTERNATE_ADDRESS);
        assertEquals(new InetSocketAddress("192.0.2.2", 1935),
                StunAttributes.readAddress(fromAlt.attribute(StunAttributes.RESPONSE_ORIGIN).orElseThrow().value(), null));
        assertEquals(new InetSocketAddress("192.0.2.1", 3478),
                StunAttributes.readAddress(fromAlt.attribute(StunAttributes.OTHER_ADDRESS).orElseThrow().value(), null));
    }

    @Test
    void changeRequestIsAnsweredFromTheChangedSocket() throws Exception {
        StunResponder r = responder(true, false);
        int both = StunAttributes.CHANGE_IP | StunAttributes.CHANGE_PORT;
        StunMessage m = reply(r.answer(SocketRole.PRIMARY, CLIENT, request(StunAttributes.changeRequest(both))),
                SocketRole.ALTERNATE_BOTH);
        assertEquals(IP2_PORT2, StunAttributes.readAddress(m.attribute(StunAttributes.RESPONSE_ORIGIN).orElseThrow().value(), null));
        reply(r.answer(SocketRole.PRIMARY, CLIENT, request(StunAttributes.changeRequest(StunAttributes.CHANGE_PORT))),
                SocketRole.ALTERNATE_PORT);
        reply(r.answer(SocketRole.PRIMARY, CLIENT, request(StunAttributes.changeRequest(StunAttributes.CHANGE_IP))),
                SocketRole.ALTERNATE_ADDRESS);
        reply(r.answer(SocketRole.ALTERNATE_BOTH, CLIENT, request(StunAttributes.changeRequest(both))), SocketRole.PRIMARY);
        reply(r.answer(SocketRole.PRIMARY, CLIENT, request(StunAttributes.changeRequest(0))), SocketRole.PRIMARY);
    }

    @Test
    void changeRequestWithoutAnAlternateGets420() throws Exception {
        StunMessage m = reply(responder(false, false).answer(SocketRole.PRIMARY, CLIENT,
                request(StunAttributes.changeRequest(StunAttributes.CHANGE_IP))), SocketRole.PRIMARY);
        assertEquals(StunMessage.BINDING_ERROR, m.type());
        assertEquals(420, StunAttributes.errorCodeOf(m.attribute(StunAttributes.ERROR_CODE).orElseThrow().value()));
        assertEquals(List.of(0, 3), toInts(m.attribute(StunAttributes.UNKNOWN_ATTRIBUTES).orElseThrow().value()));
    }

    @Test
    void unknownComprehensionRequiredAttributesGet420AndOptionalOnesAreIgnored() throws Exception {
        StunResponder r = responder(true, false);
        StunMessage m = reply(r.answer(SocketRole.PRIMARY, CLIENT, request(new StunMessage.Attribute(0x7777, new byte[4]),
                new StunMessage.Attribute(StunAttributes.RESPONSE_PORT, new byte[4]))), SocketRole.PRIMARY);
        assertEquals(StunMessage.BINDING_ERROR, m.type());
        assertEquals(List.of(0x77, 0x77, 0, 0x27), toInts(m.attribute(StunAttributes.UNKNOWN_ATTRIBUTES).orElseThrow().value()));
        StunMessage ok = reply(r.answer(SocketRole.PRIMARY, CLIENT, request(new StunMessage.Attribute(0xC057, new byte[4]),
                new StunMessage.Attribute(StunAttributes.USERNAME, "a:b".getBytes()))), SocketRole.PRIMARY);
        assertEquals(StunMessage.BINDING_SUCCESS, ok.type());
    }

    private static List<Integer> toInts(byte[] b) {
        List<Integer> out = new ArrayList<>();
        for (byte x : b) {
            out.add(x & 0xFF);
        }
        return out;
    }

    @Test
    void malformedAndUnaskedMessagesAreDroppedWithAReason() {
        StunResponder r = responder(true, false);
        assertEquals(new StunResponder.Dropped(StunDrop.MALFORMED_HEADER), r.answer(SocketRole.PRIMARY, CLIENT, new byte[19]));
        byte[] response = new StunMessage(StunMessage.BINDING_SUCCESS, new byte[12], List.of()).encode();
        assertEquals(new StunResponder.Dropped(StunDrop.NOT_A_BINDING_REQUEST), r.answer(SocketRole.PRIMARY, CLIENT, response));
        byte[] badChange = request(new StunMessage.Attribute(StunAttributes.CHANGE_REQUEST, new byte[3]));
        assertEquals(new StunResponder.Dropped(StunDrop.MALFORMED_ATTRIBUTE), r.answer(SocketRole.PRIMARY, CLIENT, badChange));
        byte[] badFingerprint = request();
        badFingerprint[badFingerprint.length - 1] ^= 1;
        assertEquals(new StunResponder.Dropped(StunDrop.BAD_FINGERPRINT), r.answer(SocketRole.PRIMARY, CLIENT, badFingerprint));
    }

    /** A bare 20-byte request asks for a 64-byte answer with RFC 5780's attributes: over three times its size. */
    @Test
    void overAmplifyingAnswersToUnprovenSourcesAreRateLimitedAndSoftwareGoesFirst() throws Exception {
        byte[] bare = new byte[20];
        System.arraycopy(new StunMessage(StunMessage.BINDING_REQUEST, new byte[12], List.of()).encode(), 0, bare, 0, 20);
        bare[3] = 0; // no FINGERPRINT: a 20-byte request
        StunResponder withoutAlternate = responder(false, false);
        StunMessage small = reply(withoutAlternate.answer(SocketRole.PRIMARY, CLIENT, bare), SocketRole.PRIMARY);
        assertTrue(small.encode().length <= 60);
        assertTrue(small.attribute(StunAttributes.SOFTWARE).isPresent(), "52 bytes: SOFTWARE fits");

        StunResponder r = responder(true, false);
        for (int i = 0; i < StunLimits.SMALL_BURST_PER_SOURCE; i++) {
            StunMessage m = reply(r.answer(SocketRole.PRIMARY, CLIENT, bare), SocketRole.PRIMARY);
            assertTrue(m.attribute(StunAttributes.SOFTWARE).isEmpty(), "SOFTWARE is left out first");
        }
        assertEquals(new StunResponder.Dropped(StunDrop.AMPLIFICATION), r.answer(SocketRole.PRIMARY, CLIENT, bare));
        assertInstanceOf(StunResponder.Reply.class, r.answer(SocketRole.PRIMARY, CLIENT, request()),
                "a request with SOFTWARE and FINGERPRINT is large enough");
        now += 1_000;
        assertInstanceOf(StunResponder.Reply.class, r.answer(SocketRole.PRIMARY, CLIENT, bare), "one a second again");

        StunResponder proven = responder(true, true);
        for (int i = 0; i < 2 * StunLimits.SMALL_BURST_PER_SOURCE; i++) {
            StunMessage m = reply(proven.answer(SocketRole.PRIMARY, CLIENT, bare), SocketRole.PRIMARY);
            assertTrue(m.attribute(StunAttributes.SOFTWARE).isPresent(), "a proven source gets the whole answer");
        }
    }

    @Test
    void eachSourceHasARate() {
        StunResponder r = responder(false, false);
        for (int i = 0; i < StunLimits.SOURCE_BURST; i++) {
            assertInstanceOf(StunResponder.Reply.class, r.answer(SocketRole.PRIMARY, CLIENT, request()));
        }
        assertEquals(new StunResponder.Dropped(StunDrop.SOURCE_RATE), r.answer(SocketRole.PRIMARY, CLIENT, request()));
        InetSocketAddress samePort = new InetSocketAddress(CLIENT.getAddress(), 40002);
        assertEquals(new StunResponder.Dropped(StunDrop.SOURCE_RATE), r.answer(SocketRole.PRIMARY, samePort, request()),
                "counted by IP address, not by port");
        assertInstanceOf(StunResponder.Reply.class,
                r.answer(SocketRole.PRIMARY, new InetSocketAddress("198.51.100.10", 1), request()));
        now += 1_000;
        assertInstanceOf(StunResponder.Reply.class, r.answer(SocketRole.PRIMARY, CLIENT, request()));
    }

    @Test
    void allSourcesTogetherHaveARate() {
        StunResponder r = responder(false, false);
        int answered = 0;
        StunResponder.Outcome last = null;
        for (int i = 0; i < StunLimits.GLOBAL_BURST + 1; i++) {
            byte[] ip = {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
            try {
                last = r.answer(SocketRole.PRIMARY, new InetSocketAddress(java.net.InetAddress.getByAddress(ip), 5), request());
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
            answered += last instanceof StunResponder.Reply ? 1 : 0;
        }
        assertEquals(StunLimits.GLOBAL_BURST, answered);
        assertEquals(new StunResponder.Dropped(StunDrop.GLOBAL_RATE), last);
    }

    @Test
    void endpointsRefuseAnAlternateThatIsNotASecondAddressAndPort() {
        assertFalse(new StunEndpoints(IP1_PORT1, Optional.empty()).discovery());
        for (InetSocketAddress bad : List.of(new InetSocketAddress("192.0.2.1", 3478), new InetSocketAddress("192.0.2.2", 1935),
                new InetSocketAddress("::1", 3478))) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new StunEndpoints(IP1_PORT1, Optional.of(bad)));
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new StunEndpoints(new InetSocketAddress("0.0.0.0", 1935), Optional.of(IP2_PORT2)));
    }
}
