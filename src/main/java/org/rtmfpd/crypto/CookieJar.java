package org.rtmfpd.crypto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.LongSupplier;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.Vlu;
import org.rtmfpd.wire.WireException;

/**
 * Makes and checks the stateless RHello cookies of RFC 7016 §3.5.1.1.2: {@code VLU seconds | MAC(seconds)
 * | MAC(seconds, address)}, so that a responder keeps no state and does no DH work until an initiator
 * proves it receives at its address. The first MAC proves the cookie is ours and fresh; the second binds
 * it to the address it was sent to, so a fresh cookie from another address calls for a Cookie Change.
 */
public final class CookieJar {
    /** A cookie is good for at most this long (RFC 7016 §3.5.1.1.2 suggests no more than 95 s). */
    public static final long LIFETIME_MILLIS = 95_000;
    private static final int MAC_LENGTH = 16;
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
        long seconds = clockMillis.getAsLong() / 1000;
        ByteBuf out = Unpooled.buffer(Vlu.size(seconds) + 2 * MAC_LENGTH);
        Vlu.write(out, seconds);
        out.writeBytes(mac(seconds, null));
        out.writeBytes(mac(seconds, address));
        return ByteBufs.toArray(out);
    }

    public Verdict check(byte[] cookie, InetSocketAddress address) {
        try {
            ByteBuf in = Unpooled.wrappedBuffer(cookie);
            long seconds = Vlu.read(in);
            byte[] timeMac = ByteBufs.read(in, MAC_LENGTH, "cookie");
            byte[] addressMac = ByteBufs.read(in, MAC_LENGTH, "cookie");
            long ageMillis = clockMillis.getAsLong() - seconds * 1000;
            if (in.isReadable() || ageMillis < -1000 || ageMillis > LIFETIME_MILLIS
                    || !MessageDigest.isEqual(timeMac, mac(seconds, null))) {
                return Verdict.INVALID;
            }
            return MessageDigest.isEqual(addressMac, mac(seconds, address)) ? Verdict.VALID : Verdict.OTHER_ADDRESS;
        } catch (WireException e) {
            return Verdict.INVALID;
        }
    }

    private byte[] mac(long seconds, InetSocketAddress address) {
        ByteBuf message = Unpooled.buffer(32);
        Vlu.write(message, seconds);
        if (address != null) {
            message.writeBytes(address.getAddress().getAddress());
            message.writeShort(address.getPort());
        }
        return Arrays.copyOf(HmacSha256.mac(secret, ByteBufs.toArray(message)), MAC_LENGTH);
    }
}
