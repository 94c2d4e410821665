package org.rtmfpd.crypto;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Makes and checks the stateless RHello cookies of RFC 7016 §3.5.1.1.2, so that a responder keeps no
 * state and does no DH work until an initiator proves it receives at its address. A cookie is exactly
 * {@value #LENGTH} bytes, the length Stratus and Cirrus always sent and that Flash-era clients insist on:
 * <pre>
 *   seconds (4, big-endian) | nonce (12) | MAC(seconds, nonce) (16) | MAC(seconds, nonce, address) (32)
 * </pre>
 * The first MAC proves the cookie is ours and fresh; the second binds it to the address it was sent to,
 * so a fresh cookie from another address calls for a Cookie Change. The nonce only makes every cookie
 * differ, as Stratus's random cookies did; the MACs carry the security.
 */
public final class CookieJar {
    /** The cookie length (Stratus RHello, ../docs A′: {@code 40 <64-byte cookie>}). */
    public static final int LENGTH = 64;
    /** A cookie is good for at most this long (RFC 7016 §3.5.1.1.2 suggests no more than 95 s). */
    public static final long LIFETIME_MILLIS = 95_000;
    /** A cookie stamped this far in the future (a clock step) is still taken. */
    private static final long CLOCK_SKEW_MILLIS = 1_000;
    private static final int TIME_LENGTH = 4;
    private static final int NONCE_LENGTH = 12;
    private static final int TIME_MAC_LENGTH = 16;
    private static final int ADDRESS_MAC_LENGTH = LENGTH - TIME_LENGTH - NONCE_LENGTH - TIME_MAC_LENGTH;
    /** Where the MACed prefix (time and nonce) ends. */
    private static final int STAMP_LENGTH = TIME_LENGTH + NONCE_LENGTH;
    private static final int SECRET_LENGTH = 32;

    private final byte[] secret;
    private final LongSupplier clockMillis;

    /** What an echoed cookie turned out to be. */
    public enum Verdict {
        /** Ours, fresh, and made for the address it came from. */
        VALID,
        /** Ours and fresh, but made for another address: answer with a Cookie Change. */
        OTHER_ADDRESS,
        /** Not ours, malformed, or too old: stay silent. */
        INVALID
    }

    public CookieJar(SecureRandom random, LongSupplier clockMillis) {
        this.secret = new byte[SECRET_LENGTH];
        random.nextBytes(secret);
        this.clockMillis = clockMillis;
    }

    public byte[] make(InetSocketAddress address) {
        byte[] cookie = new byte[LENGTH];
        ByteBuffer out = ByteBuffer.wrap(cookie);
        out.putInt((int) (clockMillis.getAsLong() / 1000));
        byte[] nonce = new byte[NONCE_LENGTH];
        ThreadLocalRandom.current().nextBytes(nonce);
        out.put(nonce);
        byte[] stamp = Arrays.copyOf(cookie, STAMP_LENGTH);
        out.put(mac(stamp, null), 0, TIME_MAC_LENGTH);
        out.put(mac(stamp, address), 0, ADDRESS_MAC_LENGTH);
        return cookie;
    }

    public Verdict check(byte[] cookie, InetSocketAddress address) {
        if (cookie.length != LENGTH) {
            return Verdict.INVALID;
        }
        long seconds = Integer.toUnsignedLong(ByteBuffer.wrap(cookie).getInt());
        long ageMillis = clockMillis.getAsLong() - seconds * 1000;
        byte[] stamp = Arrays.copyOf(cookie, STAMP_LENGTH);
        byte[] timeMac = Arrays.copyOfRange(cookie, STAMP_LENGTH, STAMP_LENGTH + TIME_MAC_LENGTH);
        if (ageMillis < -CLOCK_SKEW_MILLIS || ageMillis > LIFETIME_MILLIS
                || !MessageDigest.isEqual(timeMac, Arrays.copyOf(mac(stamp, null), TIME_MAC_LENGTH))) {
            return Verdict.INVALID;
        }
        byte[] addressMac = Arrays.copyOfRange(cookie, STAMP_LENGTH + TIME_MAC_LENGTH, LENGTH);
        return MessageDigest.isEqual(addressMac, Arrays.copyOf(mac(stamp, address), ADDRESS_MAC_LENGTH))
                ? Verdict.VALID : Verdict.OTHER_ADDRESS;
    }

    /** HMAC-SHA256 under this jar's secret of the stamp, and of the address when one is given. */
    private byte[] mac(byte[] stamp, InetSocketAddress address) {
        if (address == null) {
            return HmacSha256.mac(secret, stamp);
        }
        byte[] ip = address.getAddress().getAddress();
        ByteBuffer message = ByteBuffer.allocate(STAMP_LENGTH + ip.length + 2);
        message.put(stamp).put(ip).putShort((short) address.getPort());
        return HmacSha256.mac(secret, message.array());
    }
}
