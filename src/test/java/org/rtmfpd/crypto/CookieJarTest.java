package org.rtmfpd.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CookieJarTest {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final CookieJar jar = new CookieJar(new SecureRandom(), now::get);
    private final InetSocketAddress a = new InetSocketAddress("127.0.0.1", 5000);
    private final InetSocketAddress b = new InetSocketAddress("127.0.0.1", 5001);

    @Test
    void cookiesAreSixtyFourBytesAsStratusSentAndEachDiffers() {
        byte[] first = jar.make(a);
        assertEquals(64, first.length);
        assertEquals(CookieJar.LENGTH, first.length);
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(first, jar.make(a)));
    }

    @Test
    void aCookieOfAnyOtherLengthIsInvalid() {
        byte[] cookie = jar.make(a);
        assertEquals(CookieJar.Verdict.INVALID, jar.check(java.util.Arrays.copyOf(cookie, 63), a));
        assertEquals(CookieJar.Verdict.INVALID, jar.check(java.util.Arrays.copyOf(cookie, 65), a));
    }

    @Test
    void freshCookieFromItsAddressIsValid() {
        assertEquals(CookieJar.Verdict.VALID, jar.check(jar.make(a), a));
    }

    @Test
    void freshCookieFromAnotherAddressAsksForCookieChange() {
        assertEquals(CookieJar.Verdict.OTHER_ADDRESS, jar.check(jar.make(a), b));
    }

    @Test
    void cookieExpiresAfter95Seconds() {
        byte[] cookie = jar.make(a);
        now.addAndGet(94_000);
        assertEquals(CookieJar.Verdict.VALID, jar.check(cookie, a));
        now.addAndGet(2_000);
        assertEquals(CookieJar.Verdict.INVALID, jar.check(cookie, a));
    }

    @Test
    void anyAlteredByteOfTheTimePartOrAnotherServersCookieIsInvalid() {
        byte[] cookie = jar.make(a);
        int addressMacStart = cookie.length - 32;
        for (int i = 0; i < addressMacStart; i++) {
            byte[] bad = cookie.clone();
            bad[i] ^= 0x40;
            assertEquals(CookieJar.Verdict.INVALID, jar.check(bad, a), "byte " + i);
        }
        byte[] altered = cookie.clone();
        altered[addressMacStart] ^= 1;
        assertEquals(CookieJar.Verdict.OTHER_ADDRESS, jar.check(altered, a));
        CookieJar other = new CookieJar(new SecureRandom(), now::get);
        assertEquals(CookieJar.Verdict.INVALID, other.check(cookie, a));
        assertEquals(CookieJar.Verdict.INVALID, jar.check(new byte[0], a));
        assertEquals(CookieJar.Verdict.INVALID, jar.check(new byte[] {(byte) 0x81}, a));
    }
}
