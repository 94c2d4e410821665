package org.rtmfpd.nat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class StunMessageTest {
    /** RFC 5769 §2.2, "Sample IPv4 Response": SOFTWARE, XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT. */
    static final byte[] RFC5769_IPV4_RESPONSE = HexFormat.of().parseHex(
            "0101003c2112a442b7e7a701bc34d686fa87dfae"
                    + "8022000b7465737420766563746f7220"
                    + "002000080001a147e112a643"
                    + "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
                    + "80280004c07d4c96");
    private static final byte[] TID = HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae");

    @Test
    void decodesTheRfc5769Ipv4ResponseAndChecksItsFingerprint() throws Exception {
        StunMessage m = StunMessage.decode(RFC5769_IPV4_RESPONSE);
        assertEquals(StunMessage.BINDING_SUCCESS, m.type());
        assertArrayEquals(TID, m.transactionId());
        assertEquals(List.of(StunAttributes.SOFTWARE, StunAttributes.XOR_MAPPED_ADDRESS, StunAttributes.MESSAGE_INTEGRITY),
                m.attributes().stream().map(StunMessage.Attribute::type).toList());
        InetSocketAddress mapped = StunAttributes.readAddress(
                m.attribute(StunAttributes.XOR_MAPPED_ADDRESS).orElseThrow().value(), m.transactionId());
        assertEquals(new InetSocketAddress("192.0.2.1", 32853), mapped);
        assertEquals("test vector", new String(m.attribute(StunAttributes.SOFTWARE).orElseThrow().value()));
    }

    @Test
    void aWrongFingerprintIsRefused() {
        byte[] bad = RFC5769_IPV4_RESPONSE.clone();
        bad[bad.length - 1] ^= 1;
        assertEquals(StunDrop.BAD_FINGERPRINT, assertThrows(StunException.class, () -> StunMessage.decode(bad)).reason());
        byte[] changedBody = RFC5769_IPV4_RESPONSE.clone();
        changedBody[30] ^= 1;
        assertEquals(StunDrop.BAD_FINGERPRINT,
                assertThrows(StunException.class, () -> StunMessage.decode(changedBody)).reason());
    }

    @Test
    void encodesWhatItDecodesWithAFingerprint() throws Exception {
        StunMessage m = new StunMessage(StunMessage.BINDING_REQUEST, TID, List.of(StunAttributes.software("abc"),
                StunAttributes.changeRequest(StunAttributes.CHANGE_PORT)));
        byte[] bytes = m.encode();
        assertEquals(bytes.length, m.encodedLength());
        assertEquals(20 + 8 + 8 + 8, bytes.length);
        assertTrue(StunMessage.looksLikeStun(bytes));
        assertEquals(m, StunMessage.decode(bytes));
    }

    @Test
    void xorMappedAddressesRoundTripInBothFamilies() throws Exception {
        for (InetSocketAddress a : List.of(new InetSocketAddress("198.51.100.7", 1935),
                new InetSocketAddress("2001:db8::1:2", 65535), new InetSocketAddress("::1", 1))) {
            StunMessage.Attribute x = StunAttributes.xorMappedAddress(a, TID);
            assertEquals(a, StunAttributes.readAddress(x.value(), TID));
            assertEquals(a, StunAttributes.readAddress(StunAttributes.address(StunAttributes.OTHER_ADDRESS, a).value(), null));
            assertFalse(java.util.Arrays.equals(x.value(), StunAttributes.address(1, a).value()));
        }
    }

    @Test
    void framingErrorsSayWhichRuleTheyBreak() {
        byte[] ok = new StunMessage(StunMessage.BINDING_REQUEST, TID, List.of(StunAttributes.software("abcd"))).encode();
        byte[] longAttribute = ok.clone();
        longAttribute[23] = 40; // SOFTWARE's length now runs past the end
        assertEquals(StunDrop.MALFORMED_ATTRIBUTE,
                assertThrows(StunException.class, () -> StunMessage.decode(longAttribute)).reason());
        byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 4);
        assertEquals(StunDrop.MALFORMED_HEADER, assertThrows(StunException.class, () -> StunMessage.decode(cut)).reason());
        byte[] fingerprintNotLast = HexFormat.of().parseHex("000100102112a442" + "b7e7a701bc34d686fa87dfae"
                + "80280004000000008022000461626364");
        assertEquals(StunDrop.BAD_FINGERPRINT,
                assertThrows(StunException.class, () -> StunMessage.decode(fingerprintNotLast)).reason());
        byte[] badAddress = HexFormat.of().parseHex("00030001");
        assertEquals(StunDrop.MALFORMED_ATTRIBUTE,
                assertThrows(StunException.class, () -> StunAttributes.readAddress(badAddress, null)).reason());
    }

    @Test
    void rtmfpDatagramsAreNotTakenForStun() {
        byte[] rtmfp = HexFormat.of().parseHex("8d2a4c1f" + "2112a442" + "00".repeat(24));
        assertFalse(StunMessage.looksLikeStun(rtmfp), "first byte above 3 (RFC 7983)");
        byte[] noCookie = HexFormat.of().parseHex("00010000" + "2112a443" + "00".repeat(12));
        assertFalse(StunMessage.looksLikeStun(noCookie));
        byte[] wrongLength = HexFormat.of().parseHex("00010004" + "2112a442" + "00".repeat(12));
        assertFalse(StunMessage.looksLikeStun(wrongLength));
        assertTrue(StunMessage.looksLikeStun(HexFormat.of().parseHex("00010000" + "2112a442" + "00".repeat(12))));
    }
}
