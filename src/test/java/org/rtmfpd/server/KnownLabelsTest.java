package org.rtmfpd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every drop, refusal and event is exported at 0 before it first happens, and none is counted without being known. */
class KnownLabelsTest {
    private static final Pattern COUNTED = Pattern.compile("\\.(drop|refuse|count)\\(\"([a-z0-9_]+)\"\\)");
    /** NetConnectionService's introduction refusals: {@code refuse(request, "RENDEZVOUS_FAILED")}. */
    private static final Pattern INTRODUCTION = Pattern.compile("refuse\\(request, \"([A-Z_]+)\"\\)");

    @Test
    void aFreshServerExportsEveryKnownLabelAtZero() {
        String text = new ServerMetrics().render();
        for (String reason : KnownLabels.DROPS) {
            assertTrue(text.contains("rtmfpd_dropped_total{reason=\"" + reason + "\"} 0.0"), reason + "\n" + text);
        }
        for (String reason : KnownLabels.refusals()) {
            assertTrue(text.contains("rtmfpd_refused_total{reason=\"" + reason + "\"} 0.0"), reason);
        }
        for (String event : KnownLabels.EVENTS) {
            assertTrue(text.contains("rtmfpd_events_total{event=\"" + event + "\"} 0.0"), event);
        }
        assertTrue(text.contains("rtmfpd_refused_total{reason=\"introduction_target_cap\"} 0.0"), text);
        assertTrue(text.contains("rtmfpd_refused_total{reason=\"keying_public_key_rejected\"} 0.0"), text);
        assertTrue(!text.contains("registry_"), "the registry's labels come with the registry");
    }

    @Test
    void theRegistrysLabelsAreExportedOnceExpected() {
        ServerMetrics metrics = new ServerMetrics();
        metrics.expect(KnownLabels.registry(true), KnownLabels.registry(false));
        String text = metrics.render();
        assertTrue(text.contains("rtmfpd_refused_total{reason=\"registry_name_held\"} 0.0"), text);
        assertTrue(text.contains("rtmfpd_events_total{event=\"registry_registered\"} 0.0"), text);
        metrics.refuse("registry_name_held");
        assertEquals(1, metrics.refused("registry_name_held"));
    }

    @Test
    void everyLabelTheSourcesCountIsKnown() throws Exception {
        List<String> unknown = new ArrayList<>();
        List<String> refusals = KnownLabels.refusals();
        int seen = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher m = COUNTED.matcher(source);
                while (m.find()) {
                    seen++;
                    List<String> known = switch (m.group(1)) {
                        case "drop" -> KnownLabels.DROPS;
                        case "refuse" -> refusals;
                        default -> KnownLabels.EVENTS;
                    };
                    if (!known.contains(m.group(2))) {
                        unknown.add(file.getFileName() + ": " + m.group(1) + " " + m.group(2));
                    }
                }
                Matcher intro = INTRODUCTION.matcher(source);
                while (intro.find()) {
                    seen++;
                    if (!refusals.contains(KnownLabels.introduction(intro.group(1)))) {
                        unknown.add(file.getFileName() + ": refuse " + KnownLabels.introduction(intro.group(1)));
                    }
                }
            }
        }
        assertTrue(seen > 30, "the patterns still find the call sites (" + seen + ")");
        assertEquals(List.of(), unknown, "counted but not in KnownLabels, so not exported before it happens");
    }
}
