package org.rtmfpd.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.rtmfpd.wire.WireException;

/** The default key's pre-keyed ciphers give what a freshly initialised AES-CBC gives, packet after packet. */
class PacketCipherTest {
    private final Random random = new Random(5);

    private static byte[] aes(int mode, byte[] in, int offset, int length) throws Exception {
        Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
        c.init(mode, new SecretKeySpec(PacketCipher.DEFAULT_KEY, "AES"), new IvParameterSpec(new byte[16]));
        return c.doFinal(in, offset, length);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void defaultKeyPacketsMatchAFreshCipherEveryTime() throws Exception {
        byte[] k = bytes(16);
        PacketCipher session = PacketCipher.forSession(new SessionKeys(k, k, k, k, bytes(32), bytes(32)), 0, 0, false, false);
        for (int i = 0; i < 50; i++) {
            byte[] packet = bytes(1 + random.nextInt(300));
            byte[] sealed = PacketCipher.DEFAULT.seal(packet, 0, packet.length, 0);
            byte[] plain = aes(Cipher.DECRYPT_MODE, sealed, 0, sealed.length);
            assertArrayEquals(sealed, aes(Cipher.ENCRYPT_MODE, plain, 0, plain.length));
            assertArrayEquals(packet, Arrays.copyOfRange(plain, 2, 2 + packet.length));
            PacketCipher.Opened opened = PacketCipher.DEFAULT.open(sealed, 0, sealed.length);
            assertArrayEquals(plain, opened.plain());
            // a session packet between two startup packets on the same thread changes nothing
            byte[] other = session.seal(packet, 0, packet.length, 0);
            assertArrayEquals(plain, PacketCipher.DEFAULT.open(sealed, 0, sealed.length).plain());
            session.open(other, 0, other.length);
        }
    }

    @Test
    void aRefusedPacketLeavesTheNextOneIntact() throws Exception {
        byte[] packet = bytes(40);
        byte[] sealed = PacketCipher.DEFAULT.seal(packet, 0, packet.length, 0);
        assertThrows(WireException.class, () -> PacketCipher.DEFAULT.open(sealed, 0, sealed.length - 1));
        byte[] bad = sealed.clone();
        bad[3] ^= 1;
        assertThrows(WireException.class, () -> PacketCipher.DEFAULT.open(bad, 0, bad.length));
        assertArrayEquals(aes(Cipher.DECRYPT_MODE, sealed, 0, sealed.length),
                PacketCipher.DEFAULT.open(sealed, 0, sealed.length).plain());
    }

    @Test
    void aPacketOpenedIntoAReusedBufferIsTheSameAndATooShortBufferIsLeftAlone() {
        byte[] k = bytes(16);
        PacketCipher hmac = PacketCipher.forSession(new SessionKeys(k, k, k, k, bytes(32), bytes(32)), 0, 0, false, false);
        byte[] keys = bytes(16);
        SessionKeys tagged = new SessionKeys(keys, keys, keys, keys, k, k);
        PacketCipher sender = PacketCipher.forSession(tagged, 10, 10, true, true);
        byte[] into = new byte[64];
        for (PacketCipher[] pair : new PacketCipher[][] {{PacketCipher.DEFAULT, PacketCipher.DEFAULT}, {hmac, hmac}, {sender, sender}}) {
            byte[] packet = bytes(30);
            byte[] sealed = pair[0].seal(packet, 0, packet.length, 7);
            PacketCipher.Opened fresh = pair[1].open(sealed, 0, sealed.length);
            PacketCipher.Opened reused = pair[1].open(sealed, 0, sealed.length, into);
            assertTrue(reused.plain() == into, "decrypted into the buffer given");
            assertArrayEquals(Arrays.copyOfRange(fresh.plain(), fresh.offset(), fresh.end()),
                    Arrays.copyOfRange(reused.plain(), reused.offset(), reused.end()));
            assertArrayEquals(packet, Arrays.copyOfRange(reused.plain(), reused.offset(), reused.offset() + packet.length));
            assertEquals(fresh.sequenceNumber(), reused.sequenceNumber());
            byte[] tooShort = new byte[16];
            assertTrue(pair[1].open(sealed, 0, sealed.length, tooShort).plain() != tooShort, "a new array, not the short one");
            byte[] bad = sealed.clone();
            bad[bad.length - 1] ^= 1;
            if (pair[1] == sender) {
                assertThrows(WireException.class, () -> sender.open(bad, 0, bad.length, into), "the HMAC tag is checked");
            }
        }
    }
}
