package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.e2e.TestServer.eventually;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.cli.bench.PrometheusText;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.rendezvous.DeveloperKey;
import org.rtmfpd.server.ServerMetrics.Timing;

/** The histograms and per-key gauges as real clients over UDP on 127.0.0.1 fill them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsEndToEndTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long WAIT = 10;

    @TempDir
    Path dir;
    private TestServer server;
    private final List<RtmfpClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(RtmfpClient::close);
        server.close();
    }

    private RtmfpClient connected(String key) throws Exception {
        return server.connected(key, Duration.ofSeconds(10), clients);
    }

    @Test
    void connectsJoinsAndIntroductionsAreTimedAndPeersCountedByKeyName() throws Exception {
        server = new TestServer(dir);
        RtmfpClient a = connected(TestServer.KEY_A);
        RtmfpClient b = connected(TestServer.KEY_A);
        byte[] group = new byte[32];
        RANDOM.nextBytes(group);
        a.joinGroup(group).get(WAIT, TimeUnit.SECONDS);
        b.connectToPeer(a.identity().peerId()).get(WAIT, TimeUnit.SECONDS);

        var metrics = server.server.metrics();
        assertEquals(2, metrics.observations(Timing.CONNECT), "one connect latency per accepted connect");
        assertEquals(2, metrics.observations(Timing.KEYING_WAIT));
        assertEquals(1, metrics.observations(Timing.GROUP_JOIN));
        assertTrue(eventually(() -> metrics.observations(Timing.INTRODUCTION) >= 1));
        String text = metrics.render();
        String keyA = DeveloperKey.logNameOf(TestServer.KEY_A);
        assertEquals(2, PrometheusText.value(text, "rtmfpd_developer_key_peers{key=\"" + keyA + "\"}").orElseThrow());
        assertEquals(0, PrometheusText.value(text, "rtmfpd_developer_key_peers{key=\""
                + DeveloperKey.logNameOf(TestServer.KEY_B) + "\"}").orElseThrow());
        assertEquals(1, PrometheusText.value(text, "rtmfpd_netgroups").orElseThrow());
        assertFalse(text.contains("\"" + TestServer.KEY_A + "\""), "a developer key never appears in the metrics");
    }
}
