package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.client.NatProbe;
import org.rtmfpd.nat.NatClassifier;

/**
 * coturn's RFC 5780 client, {@code turnutils_natdiscovery -m -f}, gives the same mapping and filtering
 * lines against rtmfpd (127.0.0.1 with stun-alternate 127.0.0.2) as against coturn's own
 * {@code turnserver} listening on both addresses. Skipped without coturn, unless CI=true.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoturnComparisonTest {
    private static final Path NATDISCOVERY = Path.of("/usr/bin/turnutils_natdiscovery");
    private static final Path TURNSERVER = Path.of("/usr/bin/turnserver");
    @TempDir
    Path dir;

    @Test
    void natdiscoveryTellsTheSameAgainstRtmfpdAsAgainstTurnserver() throws Exception {
        if (!Files.isExecutable(NATDISCOVERY) || !Files.isExecutable(TURNSERVER)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("coturn is missing: install coturn (.ci/run does)");
            }
            Assumptions.abort("coturn not installed: turnutils_natdiscovery is not compared");
        }
        List<String> rtmfpd;
        try (TestServer server = new TestServer(dir, StunEndToEndTest.withAlternate(StunEndToEndTest.freePortOnBoth()))) {
            try (DatagramSocket warm = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                NatClassifier.classify(new NatProbe(warm, line -> { }).run(server.address));
            }
            rtmfpd = natdiscovery(server.address.getPort());
        }
        int port = pairOfFreePorts();
        Process turn = new ProcessBuilder(TURNSERVER.toString(), "-n", "--no-tls", "--no-dtls", "--stun-only", "--no-cli",
                "-L", "127.0.0.1", "-L", "127.0.0.2", "-p", String.valueOf(port), "--alt-listening-port",
                String.valueOf(port + 1), "--pidfile", dir.resolve("turn.pid").toString(), "--log-file", "stdout",
                "--simple-log").redirectErrorStream(true).redirectOutput(dir.resolve("turn.log").toFile()).start();
        List<String> coturn;
        try {
            Thread.sleep(1_000);
            coturn = natdiscovery(port);
        } finally {
            turn.destroy();
            if (!turn.waitFor(10, TimeUnit.SECONDS)) {
                turn.destroyForcibly();
            }
        }
        assertEquals(List.of("NAT with Endpoint Independent Mapping!", "NAT with Endpoint Independent Filtering!"), coturn);
        assertEquals(coturn, rtmfpd);
    }

    /** natdiscovery's verdict lines ({@code NAT with ...}). */
    private List<String> natdiscovery(int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(NATDISCOVERY.toString(), "-m", "-f", "-p", String.valueOf(port), "127.0.0.1")
                .redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("turnutils_natdiscovery did not finish");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return out.lines().filter(l -> l.startsWith("NAT with") || l.contains("timeout")).toList();
    }

    /** A port P such that P and P+1 are free on 127.0.0.1 and 127.0.0.2 (turnserver's alternate port is P+1). */
    private static int pairOfFreePorts() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int p;
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                p = s.getLocalPort();
            }
            if (p >= 65535) {
                continue;
            }
            try (DatagramSocket a = new DatagramSocket(new InetSocketAddress("127.0.0.1", p));
                    DatagramSocket b = new DatagramSocket(new InetSocketAddress("127.0.0.2", p));
                    DatagramSocket c = new DatagramSocket(new InetSocketAddress("127.0.0.1", p + 1));
                    DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.2", p + 1))) {
                return p;
            } catch (java.net.BindException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no pair of free ports on 127.0.0.1 and 127.0.0.2");
    }
}
