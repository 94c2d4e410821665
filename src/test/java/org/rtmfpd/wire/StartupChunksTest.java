package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartupChunksTest {
    static final String STRATUS_URL = "rtmfp://stratus.adobe.com/956d0095bc941624b20db77f-763ac4f46289/";
    static final byte[] TAG = Bytes.hex("7d1c42fb551bb4e78f34b6c4a011ccbd");
    static final byte[] PEER_ID = Bytes.counting(0xa0, 32);

    /** Decodes exactly one chunk from {@code bytes} and checks that it encodes back to them. */
    static Chunk decodeOne(byte[] bytes) {
        List<Chunk> chunks = Chunks.decode(Unpooled.wrappedBuffer(bytes));
        assertEquals(1, chunks.size(), chunks::toString);
        assertArrayEquals(bytes, Bytes.encode(chunks.get(0)));
        return chunks.get(0);
    }

    @Test
    void ihelloFromFlashToStratus() {
        byte[] url = STRATUS_URL.getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = Bytes.concat(Bytes.hex("30 00 53 | 42 | 41 0a"), url, TAG);
        IHello hello = (IHello) decodeOne(bytes);
        assertArrayEquals(Bytes.concat(Bytes.hex("41 0a"), url), hello.epd());
        assertArrayEquals(TAG, hello.tag());
        Option ancillary = OptionList.parse(hello.epd()).first(0x0a).orElseThrow();
        assertEquals(STRATUS_URL, new String(ancillary.value(), StandardCharsets.US_ASCII));
    }

    @Test
    void ihelloForAPeer() {
        byte[] bytes = Bytes.concat(Bytes.hex("30 00 33 | 22 21 0f"), PEER_ID, TAG);
        IHello hello = (IHello) decodeOne(bytes);
        assertArrayEquals(Bytes.concat(Bytes.hex("21 0f"), PEER_ID), hello.epd());
    }

    @Test
    void ihelloTagsLongerThanTheLimitAreRefused() {
        byte[] epd = Bytes.hex("21 0f");
        byte[] atLimit = Bytes.concat(Bytes.hex("02"), epd, Bytes.repeat(1, Limits.MAX_IHELLO_TAG));
        assertEquals(Limits.MAX_IHELLO_TAG, IHello.decode(Unpooled.wrappedBuffer(atLimit)).tag().length);
        byte[] over = Bytes.concat(atLimit, Bytes.hex("01"));
        assertThrows(WireException.class, () -> IHello.decode(Unpooled.wrappedBuffer(over)));
        assertThrows(IllegalArgumentException.class, () -> new IHello(epd, Bytes.repeat(1, Limits.MAX_IHELLO_TAG + 1)));
    }

    @Test
    void ihelloWithAnEpdPastTheChunkThrows() {
        assertThrows(WireException.class, () -> Chunks.decode(Bytes.buf("30 00 03 | 22 21 0f")));
    }

    @Test
    void rhelloFromStratus() {
        byte[] cookie = Bytes.counting(0x40, 64);
        byte[] cert = Bytes.concat(Bytes.hex("01 0a | 41 0e"), Bytes.repeat(0x33, 64), Bytes.hex("02 15 02 | 02 15 05 | 02 15 0e"));
        byte[] bytes = Bytes.concat(Bytes.hex("70 00 9f | 10"), TAG, Bytes.hex("40"), cookie, cert);
        RHello hello = (RHello) decodeOne(bytes);
        assertArrayEquals(TAG, hello.tagEcho());
        assertArrayEquals(cookie, hello.cookie());
        assertArrayEquals(cert, hello.certificate());
        assertEquals(77, hello.certificate().length);
    }

    @Test
    void rhelloWithACookiePastTheChunkThrows() {
        assertThrows(WireException.class, () -> RHello.decode(Bytes.buf("01 aa 40 01 02")));
    }

    @Test
    void redirectToObservedAndReportedAddresses() throws Exception {
        byte[] bytes = Bytes.concat(Bytes.hex("71 00 1f | 10"), TAG, Bytes.hex("02 cb 00 71 05 07 8f | 01 c0 a8 00 02 c3 50"));
        Redirect redirect = (Redirect) decodeOne(bytes);
        assertArrayEquals(TAG, redirect.tagEcho());
        assertEquals(List.of(
                new PeerAddress(new InetSocketAddress(InetAddress.getByName("203.0.113.5"), 1935), PeerAddress.Origin.OBSERVED),
                new PeerAddress(new InetSocketAddress(InetAddress.getByName("192.168.0.2"), 50000), PeerAddress.Origin.REPORTED)),
                redirect.addresses());
    }

    @Test
    void redirectWithNoAddressesMeansRetryTheSameOne() {
        Redirect redirect = (Redirect) decodeOne(Bytes.concat(Bytes.hex("71 00 11 | 10"), TAG));
        assertEquals(List.of(), redirect.addresses());
    }

    @Test
    void redirectWithATruncatedAddressThrows() {
        assertThrows(WireException.class, () -> Redirect.decode(Bytes.buf("01 aa | 02 cb 00 71 05 07")));
    }

    @Test
    void iikeyingFromAFlashLikeClient() {
        byte[] cookie = Bytes.counting(0x10, 65);
        byte[] cert = Bytes.concat(Bytes.hex("81 02 1d 02"), Bytes.repeat(0x77, 128));
        byte[] skic = Bytes.concat(Bytes.hex("02 1d 02 | 41 0e"), Bytes.repeat(0x44, 64), Bytes.hex("03 1a 02 0a | 02 1e 02"));
        byte[] payload = Bytes.concat(Bytes.hex("02 00 00 00 | 41"), cookie, Bytes.hex("81 04"), cert, Bytes.hex("4c"), skic, Bytes.hex("58"));
        byte[] bytes = Bytes.concat(Bytes.hex("38"), new byte[] {(byte) (payload.length >> 8), (byte) payload.length}, payload);
        IIKeying keying = (IIKeying) decodeOne(bytes);
        assertEquals(0x02000000, keying.initiatorSessionId());
        assertArrayEquals(cookie, keying.cookie());
        assertArrayEquals(cert, keying.certificate());
        assertEquals(132, keying.certificate().length);
        assertArrayEquals(skic, keying.skic());
        assertArrayEquals(Bytes.hex("58"), keying.signature());
    }

    @Test
    void iikeyingShorterThanItsSessionIdThrows() {
        assertThrows(WireException.class, () -> IIKeying.decode(Bytes.buf("02 00 00")));
        assertThrows(WireException.class, () -> IIKeying.decode(Bytes.buf("02 00 00 00 | 01 aa | 05 bb")));
    }

    @Test
    void rikeyingAsStratusSendsIt() {
        byte[] skrc = Bytes.concat(Bytes.hex("03 1a 00 00 | 02 1e 00 | 81 02 0d 02"), Bytes.repeat(0x99, 128));
        byte[] bytes = Bytes.concat(Bytes.hex("78 00 92 | 00 00 00 07 | 81 0b"), skrc, Bytes.hex("58"));
        RIKeying keying = (RIKeying) decodeOne(bytes);
        assertEquals(7, keying.responderSessionId());
        assertArrayEquals(skrc, keying.skrc());
        assertArrayEquals(Bytes.hex("58"), keying.signature());
    }

    @Test
    void cookieChange() {
        CookieChange change = (CookieChange) decodeOne(Bytes.hex("79 00 06 | 02 aa bb | cc dd ee"));
        assertArrayEquals(Bytes.hex("aa bb"), change.oldCookie());
        assertArrayEquals(Bytes.hex("cc dd ee"), change.newCookie());
    }

    @Test
    void forwardedIhelloOverIpv4() throws Exception {
        byte[] bytes = Bytes.concat(Bytes.hex("0f 00 3a | 22 21 0f"), PEER_ID, Bytes.hex("02 c6 33 64 07 d4 31"), TAG);
        ForwardedIHello hello = (ForwardedIHello) decodeOne(bytes);
        assertArrayEquals(Bytes.concat(Bytes.hex("21 0f"), PEER_ID), hello.epd());
        assertEquals(new PeerAddress(new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 54321),
                PeerAddress.Origin.OBSERVED), hello.replyAddress());
        assertArrayEquals(TAG, hello.tag());
    }

    @Test
    void forwardedIhelloWithoutItsAddressThrows() {
        assertThrows(WireException.class, () -> ForwardedIHello.decode(Bytes.buf("02 21 0f | 02 c6 33")));
    }

    @Test
    void recordsCopyTheirArraysAndCompareByContent() {
        byte[] tag = Bytes.hex("01 02");
        IHello hello = new IHello(Bytes.hex("21 0f"), tag);
        tag[0] = 9;
        assertArrayEquals(Bytes.hex("01 02"), hello.tag());
        hello.tag()[1] = 9;
        assertArrayEquals(Bytes.hex("01 02"), hello.tag());
        assertEquals(new IHello(Bytes.hex("21 0f"), Bytes.hex("01 02")), hello);
        assertEquals(new IHello(Bytes.hex("21 0f"), Bytes.hex("01 02")).hashCode(), hello.hashCode());
        assertNotEquals(new IHello(Bytes.hex("21 0f"), Bytes.hex("01 03")), hello);
    }
}
