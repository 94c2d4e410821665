package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.client.RtmfpClient;

/** What SIGTERM does, over UDP on 127.0.0.1: no new sessions, a close for every session, a quick end. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StopEndToEndTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private static RtmfpClient client(Duration openTimeout) {
        return RtmfpClient.open(ClientIdentity.generate(RANDOM), ClientSettings.FLASH_LIKE.withOpenTimeout(openTimeout));
    }

    @Test
    void aStoppingServerStartsNoSessionAndClosesTheOnesItHasAtOnce() throws Exception {
        TestServer server = new TestServer(dir);
        try (RtmfpClient connected = client(Duration.ofSeconds(5)); RtmfpClient late = client(Duration.ofSeconds(1))) {
            connected.connect(server.url(TestServer.KEY_A)).get(10, TimeUnit.SECONDS);
            server.server.stopAccepting();
            assertThrows(ExecutionException.class, () -> late.connect(server.url(TestServer.KEY_A)).get(10, TimeUnit.SECONDS));
            assertTrue(server.server.metrics().dropped("stopping") >= 1, "the late IHellos were dropped");
            connected.ping().get(10, TimeUnit.SECONDS); // the open session still works
            assertEquals(1, server.sessions());

            long start = System.nanoTime();
            server.server.shutdown(20_000);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis < 10_000, "the client acknowledged the close at once, without waiting out the grace: "
                    + tookMillis + " ms");
        } finally {
            server.close();
        }
    }
}
