package org.rtmfpd.wire;

import java.nio.charset.StandardCharsets;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Turns a startup ciphertext into plaintext with the Flash profile's default key (RFC 7425 §4.1), for tests. */
final class DefaultKey {
    static final byte[] KEY = "Adobe Systems 02".getBytes(StandardCharsets.US_ASCII);
    static final int BLOCK = 16;

    private DefaultKey() {
    }

    static byte[] decrypt(byte[] ciphertext) {
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(new byte[BLOCK]));
            return aes.doFinal(ciphertext);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
