package org.rtmfpd.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 and SHA-256 through the JDK's providers, with one {@link Mac} and one
 * {@link MessageDigest} per thread so that no packet pays for a provider lookup.
 */
public final class HmacSha256 {
    public static final int LENGTH = 32;
    private static final String MAC_ALGORITHM = "HmacSHA256";

    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(MAC_ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + MAC_ALGORITHM, e);
        }
    });
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    });

    private HmacSha256() {
    }

    public static byte[] mac(byte[] key, byte[] message) {
        Mac mac = init(key);
        return mac.doFinal(message);
    }

    /** The MAC of {@code length} bytes of {@code data} from {@code offset}. */
    public static byte[] mac(byte[] key, byte[] data, int offset, int length) {
        Mac mac = init(key);
        mac.update(data, offset, length);
        return mac.doFinal();
    }

    /**
     * This thread's {@link Mac}, keyed with {@code key}: each {@code doFinal} leaves it keyed, so that
     * several MACs under one key pay for one key setup. Valid until this thread's next call into this
     * class.
     */
    public static Mac keyed(byte[] key) {
        return init(key);
    }

    public static byte[] sha256(byte[] data) {
        return SHA256.get().digest(data);
    }

    private static Mac init(byte[] key) {
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(key, MAC_ALGORITHM));
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalArgumentException("bad HMAC key", e);
        }
        return mac;
    }
}
