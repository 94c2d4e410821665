package org.rtmfpd.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The connect URL's key without a {@link URI}: the same segment as through one, or no answer. */
class PlainUrlKeyTest {

    private static String throughUri(String url) {
        try {
            return NetConnectionService.uriKey(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Test
    void flashUrlsGiveTheirFirstSegment() {
        assertEquals("DEVKEY", NetConnectionService.plainUrlKey("rtmfp://127.0.0.1/DEVKEY"));
        assertEquals("key-1", NetConnectionService.plainUrlKey("rtmfp://p2p.rtmfp.net:1935/key-1/"));
        assertEquals("k", NetConnectionService.plainUrlKey("rtmfp://host//k/app/x"));
        assertNull(NetConnectionService.plainUrlKey("rtmfp:///key"), "no authority: left to URI");
        assertNull(NetConnectionService.plainUrlKey("rtmfp://host"), "no path");
        assertNull(NetConnectionService.plainUrlKey("rtmfp://host/a b"), "a space");
        assertNull(NetConnectionService.plainUrlKey("rtmfp://host/key?x=1"), "a query");
        assertNull(NetConnectionService.plainUrlKey("1rtmfp://host/key"), "a scheme not starting with a letter");
        assertNull(NetConnectionService.plainUrlKey("rt_mfp://host/key"), "a character no scheme may hold");
    }

    @Test
    void agreesWithUriWheneverItAnswers() {
        String plainChars = "aZ09.-_~:/";
        String otherChars = " ?#%@+[]";
        String[] starts = {"rtmfp://", "rtmfp:/", "r://", "1a://", "a-b.c://", "x_y://", "", "rtmfp:"};
        Random random = new Random(11);
        int answered = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder b = new StringBuilder(starts[random.nextInt(starts.length)]);
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                String from = random.nextInt(20) == 0 ? otherChars : plainChars;
                b.append(from.charAt(random.nextInt(from.length())));
            }
            String url = b.toString();
            String plain = NetConnectionService.plainUrlKey(url);
            if (plain != null) {
                answered++;
                assertEquals(throughUri(url), plain, url);
            }
        }
        assertTrue(answered > 10_000, "the fast path answered " + answered + " of the URLs");
    }
}
