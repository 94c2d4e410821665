package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.config.ServerConfig;
import org.rtmfpd.nat.StunSettings;
import org.rtmfpd.registry.RegistrySettings;
import org.rtmfpd.testing.CheckPageBrowser;

/**
 * The NAT check page in headless Chromium on loopback: the browser gathers from rtmfpd's STUN addresses
 * (127.0.0.1 and 127.0.0.2), and the verdict is read from the page's DOM through Chromium's DevTools
 * protocol, with the JDK's HTTP and WebSocket clients; a screenshot goes to target/check-page.png.
 * Skipped when Chromium is absent, unless RTMFPD_REQUIRE_CHROMIUM=1 or CI=true.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CheckPageChromiumTest {
    @TempDir
    Path dir;

    static boolean chromiumRequired() {
        return "1".equals(System.getenv("RTMFPD_REQUIRE_CHROMIUM")) || "true".equals(System.getenv("CI"));
    }

    /**
     * On loopback Chromium's socket is bound to the wildcard address, and its base address is that of the
     * host's outside interface while the kernel sends to 127.0.0.1 from 127.0.0.1: the server maps it to
     * an address other than the base, the same for all three STUN addresses. So the page sees a "NAT"
     * mapping endpoint-independently, which is exactly what a full-cone or port-restricted router shows.
     */
    @Test
    void theBrowserSeesUdpReachTheServerAndOneMappingForEveryServerAddress() throws Exception {
        if (!Files.isExecutable(CheckPageBrowser.CHROMIUM)) {
            if (chromiumRequired()) {
                throw new AssertionError(CheckPageBrowser.CHROMIUM + " is missing: install chromium (.ci/run does)");
            }
            Assumptions.abort("chromium not installed: the check page is not tried in a browser");
        }
        ServerConfig.Builder b = StunEndToEndTest.withAlternate(StunEndToEndTest.freePortOnBoth())
                .registry(RegistrySettings.DEFAULTS.withListen(Optional.of(new InetSocketAddress("127.0.0.1", 0))));
        try (TestServer server = new TestServer(dir, b)) {
            String page = "http://127.0.0.1:" + server.server.registryAddress().orElseThrow().getPort() + "/check";
            Map<String, String> dom = CheckPageBrowser.open(page, dir, Path.of("target", "check-page.png"));
            assertEquals("done", dom.get("state"), dom.toString());
            assertEquals("EIM", dom.get("case"), dom.toString());
            assertTrue(dom.get("detail").contains("without answer: none"), dom.toString());
            String verdict = dom.get("verdict");
            for (String line : List.of("udp: reachable", "mapping: endpoint-independent", "direct to symmetric: cannot tell",
                    "p2p with common home routers: expected")) {
                assertTrue(verdict.contains(line), line + " in " + dom);
            }
            assertTrue(TestServer.eventually(() -> server.server.metrics().counted("stun_answered") >= 2),
                    "the browser's STUN requests reached rtmfpd");
        }
    }
}
