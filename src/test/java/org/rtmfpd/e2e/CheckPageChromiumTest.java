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

/**
 * The NAT check page in headless Chromium on loopback: the browser gathers from rtmfpd's STUN addresses
 * (127.0.0.1 and 127.0.0.2), and the verdict is read from the page's DOM through Chromium's DevTools
 * protocol, with the JDK's HTTP and WebSocket clients; a screenshot goes to target/check-page.png.
 * Skipped when Chromium is absent, unless RTMFPD_REQUIRE_CHROMIUM=1 or CI=true.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CheckPageChromiumTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
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
        if (!Files.isExecutable(CHROMIUM)) {
            if (chromiumRequired()) {
                throw new AssertionError(CHROMIUM + " is missing: install chromium (.ci/run does)");
            }
            Assumptions.abort("chromium not installed: the check page is not tried in a browser");
        }
        ServerConfig.Builder b = StunEndToEndTest.withAlternate(StunEndToEndTest.freePortOnBoth())
                .registry(RegistrySettings.DEFAULTS.withListen(Optional.of(new InetSocketAddress("127.0.0.1", 0))));
        try (TestServer server = new TestServer(dir, b)) {
            String page = "http://127.0.0.1:" + server.server.registryAddress().orElseThrow().getPort() + "/check";
            Map<String, String> dom = inChromium(page, Path.of("target", "check-page.png"));
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

    /** Opens {@code url} in headless Chromium, waits for the check to finish, and returns what the DOM says. */
    private Map<String, String> inChromium(String url, Path screenshot) throws Exception {
        Path profile = Files.createDirectory(dir.resolve("chromium-profile"));
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-features=WebRtcHideLocalIpsWithMdns", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=900,700",
                "about:blank").redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 1) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
            String ws = null;
            for (JsonNode t : targets) {
                if ("page".equals(t.path("type").asText())) {
                    ws = t.path("webSocketDebuggerUrl").asText();
                }
            }
            DevTools devtools = new DevTools(http, URI.create(ws));
            devtools.call("Page.navigate", Map.of("url", url));
            String state = "";
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (!"done".equals(state) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                state = devtools.evaluate("document.body ? document.body.getAttribute('data-state') : ''");
            }
            Map<String, String> dom = new java.util.TreeMap<>();
            dom.put("state", state);
            dom.put("case", devtools.evaluate("document.body.getAttribute('data-case')"));
            dom.put("verdict", devtools.evaluate("document.getElementById('verdict').textContent"));
            dom.put("summary", devtools.evaluate("document.getElementById('summary').textContent"));
            dom.put("detail", devtools.evaluate("document.getElementById('detail').textContent"));
            JsonNode shot = devtools.call("Page.captureScreenshot", Map.of("format", "png"));
            Files.createDirectories(screenshot.getParent());
            Files.write(screenshot, Base64.getDecoder().decode(shot.path("data").asText()));
            return dom;
        } finally {
            chromium.destroy();
            if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
                chromium.destroyForcibly();
            }
        }
    }

    /** A minimal DevTools protocol client: one call at a time, answers matched by id. */
    private static final class DevTools implements WebSocket.Listener {
        private final WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();

        DevTools(HttpClient http, URI uri) throws Exception {
            socket = http.newWebSocketBuilder().buildAsync(uri, this).get(10, TimeUnit.SECONDS);
        }

        JsonNode call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true);
            return answer.get(20, TimeUnit.SECONDS).path("result");
        }

        String evaluate(String expression) throws Exception {
            return call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true))
                    .path("result").path("value").asText("");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    CompletableFuture<JsonNode> f = message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                    if (f != null) {
                        f.complete(message);
                    }
                } catch (java.io.IOException e) {
                    // not JSON: ignored
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
