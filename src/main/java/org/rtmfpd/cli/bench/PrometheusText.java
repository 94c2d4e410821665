package org.rtmfpd.cli.bench;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** Finds one series in a Prometheus text exposition (format 0.0.4), as {@code GET /metrics} answers. */
public final class PrometheusText {
    private PrometheusText() {
    }

    /**
     * Every series of the metric {@code name} that has labels, by the text between the braces (for
     * example {@code reason="bad_cookie"} for {@code rtmfpd_dropped_total}).
     */
    public static Map<String, Double> labelled(String text, String name) {
        Map<String, Double> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            int close = line.indexOf('}', name.length());
            if (close < 0) {
                continue;
            }
            String[] parts = line.substring(close + 1).trim().split("\\s+");
            try {
                out.put(line.substring(name.length() + 1, close), Double.parseDouble(parts[0]));
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return out;
    }

    /**
     * The value of {@code series}, written exactly as in the text: a bare name ({@code rtmfpd_sessions}) or
     * a name with its labels ({@code rtmfpd_events_total{event="introduction"}}). Empty when absent.
     */
    public static OptionalDouble value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(series)) {
                continue;
            }
            String rest = line.substring(series.length());
            if (rest.isEmpty() || !Character.isWhitespace(rest.charAt(0))) {
                continue; // a longer name, or the same name with labels
            }
            String[] parts = rest.trim().split("\\s+");
            try {
                return OptionalDouble.of(Double.parseDouble(parts[0]));
            } catch (NumberFormatException e) {
                return OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }
}
