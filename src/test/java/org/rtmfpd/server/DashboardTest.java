package org.rtmfpd.server;

import org.rtmfpd.config.ServerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.rendezvous.DeveloperKeyStore;

/**
 * config/grafana/rtmfpd-dashboard.json imports into Grafana 10+ (its structure) and asks only for metrics
 * that a running server exports.
 */
class DashboardTest {
    private static final Path DASHBOARD = Path.of("config/grafana/rtmfpd-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:rtmfpd|jvm|process)_[a-zA-Z0-9_]+)");
    private static JsonNode dashboard;
    private static Set<String> exported;

    @BeforeAll
    static void read(@TempDir Path dir) throws Exception {
        dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Path keys = dir.resolve("keys.conf");
        Files.writeString(keys, "k label=a\n");
        ServerConfig config = ServerConfig.builder().resetListen().addListen(new InetSocketAddress("127.0.0.1", 0))
                .developerKeys(keys).build();
        try (RtmfpServer server = RtmfpServer.start(config, DeveloperKeyStore.load(keys))) {
            // Labelled counters show only once they have a series.
            server.metrics().drop("x");
            server.metrics().refuse("x");
            server.metrics().count("x");
            exported = sampleNames(Exposition.parse(server.metrics().render()));
        }
    }

    private static Set<String> sampleNames(Exposition text) {
        Set<String> names = new HashSet<>();
        text.families.values().forEach(f -> f.samples().forEach(s -> names.add(s.name())));
        return names;
    }

    private static List<JsonNode> panels() {
        List<JsonNode> out = new ArrayList<>();
        dashboard.get("panels").forEach(out::add);
        return out;
    }

    @Test
    void importsIntoGrafana10WithAPrometheusDataSourceVariable() {
        assertTrue(dashboard.get("schemaVersion").asInt() >= 36, "Grafana 10 writes schemaVersion 36 or later");
        assertTrue(dashboard.get("title").isTextual() && dashboard.get("uid").isTextual());
        assertFalse(dashboard.has("id") && !dashboard.get("id").isNull(), "an id would clash on import");
        JsonNode source = null;
        for (JsonNode v : dashboard.at("/templating/list")) {
            if (v.get("type").asText().equals("datasource")) {
                source = v;
            }
        }
        assertTrue(source != null && source.get("query").asText().equals("prometheus"), "a Prometheus data-source variable");
        String uid = "${" + source.get("name").asText() + "}";
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : panels()) {
            assertTrue(ids.add(p.get("id").asInt()), "panel ids are unique");
            JsonNode grid = p.get("gridPos");
            assertTrue(grid.get("w").asInt() > 0 && grid.get("x").asInt() + grid.get("w").asInt() <= 24, p.get("title") + " fits the grid");
            if (p.get("type").asText().equals("row")) {
                continue;
            }
            assertEquals(uid, p.at("/datasource/uid").asText(), p.get("title") + " uses the data-source variable");
            assertTrue(p.get("targets").size() > 0, p.get("title") + " has queries");
            for (JsonNode t : p.get("targets")) {
                assertEquals(uid, t.at("/datasource/uid").asText());
                assertFalse(t.get("expr").asText().isBlank());
            }
        }
    }

    @Test
    void everyQueriedMetricIsExported() {
        Set<String> missing = new TreeSet<>();
        Set<String> queried = new TreeSet<>();
        for (JsonNode p : panels()) {
            for (JsonNode t : p.path("targets")) {
                Matcher m = METRIC.matcher(t.get("expr").asText());
                while (m.find()) {
                    queried.add(m.group(1));
                }
            }
        }
        for (JsonNode v : dashboard.at("/templating/list")) {
            Matcher m = METRIC.matcher(v.path("definition").asText());
            while (m.find()) {
                queried.add(m.group(1));
            }
        }
        for (String name : queried) {
            if (!exported.contains(name)) {
                missing.add(name);
            }
        }
        assertTrue(missing.isEmpty(), "queried but not exported: " + missing);
        assertTrue(queried.size() > 15, queried.toString());
    }

    @Test
    void hasThePanelsAnOperatorLooksFor() {
        Set<String> titles = new HashSet<>();
        panels().forEach(p -> titles.add(p.get("title").asText()));
        for (String t : List.of("Sessions", "Connects/s", "Connect latency", "Introductions/s", "Refusals by reason",
                "Drops by reason", "DH queue", "Heap", "GC", "Peers per developer key")) {
            assertTrue(titles.contains(t), "no panel " + t);
        }
    }
}
