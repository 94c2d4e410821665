package org.rtmfpd.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.testing.Resources.hex;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rtmfpd.testing.Resources;

/** The further keying example (fixed exponents 0x11.. and 0x22..) and its encrypted Ping. */
class KeyingExampleTest {
    private static final Map<String, String> V = Resources.keyValues("/vectors/keying-example.txt");
    private static final DhKeyPair CLIENT = DhGroup.GROUP_2.keyPair(new BigInteger("11".repeat(29), 16));
    private static final DhKeyPair SERVER = DhGroup.GROUP_2.keyPair(new BigInteger("22".repeat(29), 16));

    @Test
    void certificatesSkrcAndNonces() {
        Certificate client = Certificate.staticKeys(List.of(CLIENT));
        assertEquals(V.get("client_cert"), hex(client.encoded()));
        assertEquals(V.get("client_peer_id"), hex(client.fingerprint()));
        assertEquals(V.get("server_fingerprint"), hex(Certificate.parse(hex(V.get("server_cert"))).fingerprint()));
        KeyingComponent skrc = KeyingComponent.builder()
                .sseq(Negotiation.ON_REQUEST).hmac(Negotiation.ON_REQUEST, 16)
                .ephemeralKey(DhGroup.GROUP_2, SERVER.publicKeyBytes()).build();
        assertEquals(V.get("skrc"), hex(skrc.encoded()));

        byte[] secret = SERVER.agree(CLIENT.publicKeyBytes()).orElseThrow();
        assertTrue(hex(secret).startsWith("7f35e61fdd6baf45") && hex(secret).endsWith("322b5e8e"));
        SessionKeys clientKeys = SessionKeys.derive(secret, hex(V.get("skic")), skrc.encoded());
        assertEquals(V.get("client_near_nonce"), hex(clientKeys.nearNonce()));
        assertEquals(V.get("client_far_nonce"), hex(clientKeys.farNonce()));
        assertEquals("fa75a355658ad4dd14e0654f29d466d8", hex(clientKeys.encryptKey()));
        assertEquals("3bcfd23344d26e4f8b5a989f3b11c91e", hex(clientKeys.decryptKey()));
    }

    @Test
    void encryptedPingBothWays() {
        byte[] secret = CLIENT.agree(SERVER.publicKeyBytes()).orElseThrow();
        byte[] skic = hex(V.get("skic"));
        byte[] skrc = hex(V.get("skrc"));
        PacketCipher client = SessionCipher.negotiate(SessionKeys.derive(secret, skic, skrc),
                KeyingComponent.parse(skic), KeyingComponent.parse(skrc)).orElseThrow();
        PacketCipher server = SessionCipher.negotiate(SessionKeys.derive(secret, skrc, skic),
                KeyingComponent.parse(skrc), KeyingComponent.parse(skic)).orElseThrow();
        byte[] ping = hex("891234010000");
        byte[] sealed = client.seal(ping, 0, ping.length, 0);
        assertEquals(V.get("c2s_ping_ciphertext_after_ssid"), hex(sealed));
        PacketCipher.Opened opened = server.open(sealed, 0, sealed.length);
        assertEquals(V.get("server_decrypted_plaintext_incl_cksum"), hex(opened.plain()));
        assertEquals("891234010000", hex(Arrays.copyOfRange(opened.plain(), opened.offset(), opened.offset() + 6)));
    }

    @Test
    void stratusIHelloUnderTheDefaultKey() {
        Map<String, String> s = Resources.keyValues("/vectors/stratus-ihello.txt");
        byte[] plain = hex(s.get("plain"));
        byte[] datagram = hex(s.get("datagram"));
        byte[] sealed = PacketCipher.DEFAULT.seal(plain, 0, plain.length, 0);
        assertEquals(hex(Arrays.copyOfRange(datagram, 4, datagram.length)), hex(sealed));
        PacketCipher.Opened opened = PacketCipher.DEFAULT.open(datagram, 4, datagram.length - 4);
        assertEquals(s.get("checksum"), hex(Arrays.copyOfRange(opened.plain(), 0, 2)));
        assertEquals(s.get("plain") + "ffffffffff", hex(Arrays.copyOfRange(opened.plain(), 2, opened.plain().length)));
    }
}
