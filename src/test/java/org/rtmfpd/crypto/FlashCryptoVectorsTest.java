package org.rtmfpd.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.testing.Resources.hex;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtmfpd.testing.Resources;

/** Reproduces every value of the three keying scenarios made with the reference implementation. */
class FlashCryptoVectorsTest {

    static Stream<Map<String, String>> scenarios() {
        List<Map<String, String>> all = Resources.cryptoScenarios();
        assertEquals(3, all.size(), "three scenarios in the vectors file");
        return all.stream();
    }

    private static DhKeyPair pair(Map<String, String> v, String exponentKey) {
        return DhGroup.GROUP_2.keyPair(new BigInteger(v.get(exponentKey), 16));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void publicKeysAndSharedSecretAreMinimalLength(Map<String, String> v) {
        DhKeyPair client = pair(v, "client_dh_private_exponent");
        DhKeyPair server = pair(v, "server_dh_private_exponent");
        assertEquals(v.get("client_dh_public"), hex(client.publicKeyBytes()));
        assertEquals(v.get("server_dh_public"), hex(server.publicKeyBytes()));
        byte[] clientSide = client.agree(server.publicKeyBytes()).orElseThrow();
        byte[] serverSide = server.agree(client.publicKeyBytes()).orElseThrow();
        assertEquals(v.get("dh_shared_secret_client_side"), hex(clientSide));
        assertEquals(v.get("dh_shared_secret_server_side"), hex(serverSide));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void certificatesAndFingerprints(Map<String, String> v) {
        Certificate client = Certificate.staticKeys(List.of(pair(v, "client_dh_private_exponent")));
        assertEquals(v.get("client_certificate_in_IIKeying"), hex(client.encoded()));
        assertEquals(v.get("client_peer_id_sha256_cert"), hex(client.fingerprint()));
        assertEquals(v.get("client_dh_public"), hex(client.staticKey(DhGroup.GROUP_2).orElseThrow()));

        byte[] serverBytes = hex(v.get("server_certificate_in_RHello"));
        Certificate server = Certificate.parse(serverBytes);
        assertEquals(v.get("server_fingerprint_sha256_cert"), hex(server.fingerprint()));
        assertTrue(server.acceptsAncillaryData());
        assertEquals(List.of(DhGroup.GROUP_2), server.supportedGroups());
        byte[] random = server.options().first(CertificateOptions.EXTRA_RANDOMNESS).orElseThrow().value();
        // rtmfp-cpp lists the groups before the extra randomness; rtmfpd keeps Stratus's order, same options.
        Certificate ours = Certificate.ephemeral(List.of(DhGroup.GROUP_2), random);
        assertEquals(java.util.Set.copyOf(server.options().options()), java.util.Set.copyOf(ours.options().options()));
        assertEquals(serverBytes.length, ours.length());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void keyingComponentsParseAndRebuild(Map<String, String> v) {
        KeyingComponent skic = KeyingComponent.parse(hex(v.get("skic_initiator_session_key_component")));
        assertEquals(2, skic.groupSelect().orElseThrow());
        assertEquals(16, skic.hmac().length());

        byte[] skrcBytes = hex(v.get("skrc_responder_session_key_component"));
        KeyingComponent skrc = KeyingComponent.parse(skrcBytes);
        KeyingComponent.EphemeralKey key = skrc.ephemeralKey().orElseThrow();
        assertEquals(2, key.group());
        assertEquals(v.get("server_dh_public"), hex(key.key()));
        KeyingComponent rebuilt = KeyingComponent.builder()
                .sseq(skrc.sseq())
                .hmac(skrc.hmac().negotiation(), skrc.hmac().length())
                .ephemeralKey(DhGroup.GROUP_2, key.key())
                .build();
        assertArrayEquals(skrcBytes, rebuilt.encoded());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void keysAndNoncesInBothDirections(Map<String, String> v) {
        byte[] secret = hex(v.get("dh_shared_secret_client_side"));
        byte[] skic = hex(v.get("skic_initiator_session_key_component"));
        byte[] skrc = hex(v.get("skrc_responder_session_key_component"));
        SessionKeys client = SessionKeys.derive(secret, skic, skrc);
        SessionKeys server = SessionKeys.derive(secret, skrc, skic);
        assertEquals(v.get("client_encrypt_key_c2s_aes128"), hex(client.encryptKey()));
        assertEquals(v.get("client_decrypt_key_s2c_aes128"), hex(client.decryptKey()));
        assertEquals(v.get("server_encrypt_key_s2c_aes128"), hex(server.encryptKey()));
        assertEquals(v.get("server_decrypt_key_c2s_aes128"), hex(server.decryptKey()));
        assertEquals(v.get("client_near_nonce_HMAC(secret,skic)"), hex(client.nearNonce()));
        assertEquals(v.get("client_far_nonce_HMAC(secret,skrc)"), hex(client.farNonce()));
        assertArrayEquals(client.nearNonce(), server.farNonce());
        if (v.containsKey("client_packet_hmac_tx_key=HMAC(secret,client_encrypt_key_32B)")) {
            assertEquals(v.get("client_packet_hmac_tx_key=HMAC(secret,client_encrypt_key_32B)"), hex(client.sendHmacKey()));
            assertEquals(v.get("client_packet_hmac_rx_key=HMAC(secret,client_decrypt_key_32B)"), hex(client.receiveHmacKey()));
            assertArrayEquals(client.sendHmacKey(), server.receiveHmacKey());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void startupPacketUnderTheDefaultKey(Map<String, String> v) {
        byte[] plain = hex(v.get("ihello_plain_packet_without_checksum"));
        byte[] sealed = PacketCipher.DEFAULT.seal(plain, 0, plain.length, 0);
        assertEquals(v.get("ihello_encrypted_part_default_key"), hex(sealed));
        PacketCipher.Opened opened = PacketCipher.DEFAULT.open(sealed, 0, sealed.length);
        assertArrayEquals(plain, Arrays.copyOfRange(opened.plain(), opened.offset(), opened.offset() + plain.length));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void sessionPacketsInBothDirections(Map<String, String> v) {
        byte[] secret = hex(v.get("dh_shared_secret_client_side"));
        byte[] skicBytes = hex(v.get("skic_initiator_session_key_component"));
        byte[] skrcBytes = hex(v.get("skrc_responder_session_key_component"));
        KeyingComponent skic = KeyingComponent.parse(skicBytes);
        KeyingComponent skrc = KeyingComponent.parse(skrcBytes);
        PacketCipher client = SessionCipher.negotiate(SessionKeys.derive(secret, skicBytes, skrcBytes), skic, skrc).orElseThrow();
        PacketCipher server = SessionCipher.negotiate(SessionKeys.derive(secret, skrcBytes, skicBytes), skrc, skic).orElseThrow();
        boolean hmac = v.get("scenario").contains("hmac-sseq");
        assertEquals(hmac, client.sendsSequenceNumbers());
        assertEquals(hmac, server.receivesSequenceNumbers());

        byte[] c2s = hex(v.get("c2s_plain_packet_without_checksum_or_sseq"));
        PacketCipher.Opened atServer = server.open(hex(v.get("c2s_encrypted_part")), 0, hex(v.get("c2s_encrypted_part")).length);
        assertEquals(v.get("c2s_decrypted_by_server_payload"),
                hex(Arrays.copyOfRange(atServer.plain(), atServer.offset(), atServer.plain().length)));
        long sequence = Math.max(atServer.sequenceNumber(), 0);
        assertEquals(v.get("c2s_encrypted_part"), hex(client.seal(c2s, 0, c2s.length, sequence)));

        byte[] s2c = hex(v.get("s2c_plain_packet_without_checksum_or_sseq"));
        byte[] s2cSealed = hex(v.get("s2c_encrypted_part"));
        PacketCipher.Opened atClient = client.open(s2cSealed, 0, s2cSealed.length);
        assertEquals(v.get("s2c_decrypted_by_client_payload"),
                hex(Arrays.copyOfRange(atClient.plain(), atClient.offset(), atClient.plain().length)));
        assertEquals(v.get("s2c_encrypted_part"), hex(server.seal(s2c, 0, s2c.length, Math.max(atClient.sequenceNumber(), 0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void tamperedPacketsAreRefused(Map<String, String> v) {
        byte[] secret = hex(v.get("dh_shared_secret_client_side"));
        byte[] skicBytes = hex(v.get("skic_initiator_session_key_component"));
        byte[] skrcBytes = hex(v.get("skrc_responder_session_key_component"));
        PacketCipher server = SessionCipher.negotiate(SessionKeys.derive(secret, skrcBytes, skicBytes),
                KeyingComponent.parse(skrcBytes), KeyingComponent.parse(skicBytes)).orElseThrow();
        byte[] sealed = hex(v.get("c2s_encrypted_part"));
        for (int i = 0; i < sealed.length; i++) {
            byte[] bad = sealed.clone();
            bad[i] ^= 0x01;
            assertFalse(opens(server, bad), "flipped byte " + i + " must be refused");
        }
    }

    private static boolean opens(PacketCipher cipher, byte[] data) {
        try {
            cipher.open(data, 0, data.length);
            return true;
        } catch (org.rtmfpd.wire.WireException e) {
            return false;
        }
    }
}
