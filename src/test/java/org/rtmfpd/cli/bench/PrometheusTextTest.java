package org.rtmfpd.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rtmfpd.server.ServerMetrics;

class PrometheusTextTest {
    private static final String TEXT = """
            # HELP rtmfpd_sessions_opened_total Sessions opened.
            # TYPE rtmfpd_sessions_opened_total counter
            rtmfpd_sessions_opened_total 12
            rtmfpd_events_total{event="connect"} 10
            rtmfpd_events_total{event="introduction"} 4
            # TYPE rtmfpd_sessions gauge
            rtmfpd_sessions 7
            rtmfpd_sessions_extra 99
            rtmfpd_jvm_heap_used_bytes 1.2345678E7
            """;

    @Test
    void findsBareAndLabelledSeries() {
        assertEquals(7, PrometheusText.value(TEXT, "rtmfpd_sessions").orElseThrow());
        assertEquals(4, PrometheusText.value(TEXT, "rtmfpd_events_total{event=\"introduction\"}").orElseThrow());
        assertEquals(12_345_678, PrometheusText.value(TEXT, "rtmfpd_jvm_heap_used_bytes").orElseThrow());
        assertTrue(PrometheusText.value(TEXT, "rtmfpd_events_total").isEmpty(), "only labelled series exist");
        assertTrue(PrometheusText.value(TEXT, "rtmfpd_missing").isEmpty());
    }

    @Test
    void listsTheSeriesOfOneMetricByLabels() {
        assertEquals(Map.of("event=\"connect\"", 10.0, "event=\"introduction\"", 4.0),
                PrometheusText.labelled(TEXT, "rtmfpd_events_total"));
    }

    @Test
    void readsWhatTheServerRenders() {
        ServerMetrics metrics = new ServerMetrics();
        metrics.gauge("rtmfpd_sessions", () -> 3);
        metrics.drop("bad_cookie");
        metrics.drop("bad_cookie");
        String text = metrics.render();
        assertEquals(3, PrometheusText.value(text, "rtmfpd_sessions").orElseThrow());
        Map<String, Double> dropped = PrometheusText.labelled(text, "rtmfpd_dropped_total");
        assertEquals(2.0, dropped.get("reason=\"bad_cookie\""));
        dropped.forEach((reason, count) -> assertEquals(reason.equals("reason=\"bad_cookie\"") ? 2.0 : 0.0, count, reason));
        assertTrue(dropped.size() > 1, "the server renders every drop reason, at 0 until it happens");
    }
}
