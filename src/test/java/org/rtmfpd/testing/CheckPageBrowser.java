package org.rtmfpd.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * rtmfpd's NAT check page ({@code /check}) in headless Chromium: the page is opened, the check is
 * awaited, and what the DOM says (its state, case, verdict lines, summary, detail) is returned, read
 * through Chromium's DevTools protocol with the JDK's HTTP and WebSocket clients; a screenshot is saved.
 * {@link #main} does the same from a process of its own (the NAT lab runs it inside a namespace) and
 * prints one {@code dom NAME=VALUE} line each, newlines as {@code \\n}.
 */
public final class CheckPageBrowser {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckPageBrowser() {
    }

    /** {@code URL WORK-DIR SCREENSHOT.png} */
    public static void main(String[] args) throws Exception {
        Map<String, String> dom = open(args[0], Path.of(args[1]), Path.of(args[2]));
        dom.forEach((k, v) -> System.out.println("dom " + k + "=" + v.replace("\n", "\\n")));
        System.exit(0);
    }

    /** Opens {@code url} in headless Chromium, waits for the check to finish, and returns what the DOM says. */
    public static Map<String, String> open(String url, Path dir, Path screenshot) throws Exception {
        Path profile = Files.createTempDirectory(Files.createDirectories(dir), "chromium-profile");
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
