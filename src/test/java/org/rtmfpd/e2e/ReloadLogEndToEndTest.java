package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.log.LogCapture;
import org.rtmfpd.server.RtmfpServer;

/** SIGHUP's key reload says what happened in words, not as a record. */
class ReloadLogEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void anUnchangedReloadSaysSo() throws Exception {
        try (TestServer server = new TestServer(dir); LogCapture log = LogCapture.info(RtmfpServer.class)) {
            server.server.reloadKeys();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!log.text().contains("developer keys re-read") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(log.text().contains("developer keys re-read from " + dir.resolve("developer-keys.conf")
                    + ": unchanged (4 keys)"), log.text());
            assertFalse(log.text().contains("Reload["), log.text());
        }
    }
}
