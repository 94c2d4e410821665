package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.nat.IntroductionOutcomes;

/** Two clients meet through a real rtmfpd on 127.0.0.1: their pair is counted settled once the initiator is quiet. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IntroductionOutcomeEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void aDirectSessionIsCountedSettledOnceUnderItsKey() throws Exception {
        List<RtmfpClient> clients = new ArrayList<>();
        try (TestServer server = new TestServer(dir)) {
            RtmfpClient a = server.connected(TestServer.KEY_A, Duration.ofSeconds(5), clients);
            RtmfpClient b = server.connected(TestServer.KEY_A, Duration.ofSeconds(5), clients);
            TestServer.meet(a, b);
            assertEquals(0, server.server.metrics().introductionPairs("settled"));
            server.clockOffset.addAndGet(IntroductionOutcomes.QUIET_MILLIS);
            assertTrue(TestServer.eventually(() -> server.server.metrics().introductionPairs("settled") == 1));
            String text = server.server.metrics().render();
            assertTrue(text.contains("rtmfpd_introduction_pairs_total{outcome=\"unsettled\"} 0"), text);
            assertTrue(text.contains("rtmfpd_developer_key_introduction_pairs_total{key=\"" 
                    + org.rtmfpd.rendezvous.DeveloperKey.logNameOf(TestServer.KEY_A) + "\",outcome=\"settled\"} 1"), text);
        } finally {
            clients.forEach(RtmfpClient::close);
        }
    }
}
