package org.rtmfpd.crypto;

import java.util.Arrays;
import javax.crypto.Mac;

/**
 * The keys of one endpoint of a session, derived from the DH shared secret and both keying components
 * (RFC 7425 §4.6.3, §4.6.5): the near end's encrypt key is the far end's decrypt key.
 *
 * @param encryptKey AES-128 key for packets this end sends
 * @param decryptKey AES-128 key for packets this end receives
 * @param sendHmacKey HMAC-SHA256 key for tags this end sends
 * @param receiveHmacKey HMAC-SHA256 key for tags this end checks
 * @param nearNonce this end's session nonce
 * @param farNonce the other end's session nonce
 */
public record SessionKeys(byte[] encryptKey, byte[] decryptKey, byte[] sendHmacKey, byte[] receiveHmacKey,
                          byte[] nearNonce, byte[] farNonce) {
    public static final int AES_KEY_LENGTH = 16;

    /**
     * Derives the keys of the end whose own component is {@code nearComponent} ("SKNC") from the
     * minimal-length shared secret and the far end's component ("SKFC"), both hashed exactly as sent.
     */
    public static SessionKeys derive(byte[] sharedSecret, byte[] nearComponent, byte[] farComponent) {
        byte[] farOverNear = HmacSha256.mac(farComponent, nearComponent);
        byte[] nearOverFar = HmacSha256.mac(nearComponent, farComponent);
        // The six MACs under the shared secret share one key setup (the secret is longer than SHA-256's
        // block, so each setup hashes it first).
        Mac secret = HmacSha256.keyed(sharedSecret);
        byte[] encryptFull = secret.doFinal(farOverNear);
        byte[] decryptFull = secret.doFinal(nearOverFar);
        return new SessionKeys(
                Arrays.copyOf(encryptFull, AES_KEY_LENGTH),
                Arrays.copyOf(decryptFull, AES_KEY_LENGTH),
                secret.doFinal(encryptFull),
                secret.doFinal(decryptFull),
                secret.doFinal(nearComponent),
                secret.doFinal(farComponent));
    }
}
