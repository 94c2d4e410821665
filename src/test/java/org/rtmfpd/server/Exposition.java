package org.rtmfpd.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, checking what {@code promtool check metrics} checks
 * that a parser can: one HELP and TYPE per family, before its samples; sample names that belong to their
 * family's type; counters named {@code _total}; well-formed, unrepeated label sets; histogram buckets
 * ascending, cumulative, ending in {@code +Inf} equal to {@code _count}. Throws on the first problem.
 */
final class Exposition {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Family(String name, String type, String help, List<Sample> samples) {
    }

    final Map<String, Family> families = new LinkedHashMap<>();

    static Exposition parse(String text) {
        Exposition e = new Exposition();
        e.read(text);
        return e;
    }

    /** The value of the one sample named {@code name} with exactly these labels. */
    double value(String name, Map<String, String> labels) {
        for (Family f : families.values()) {
            for (Sample s : f.samples) {
                if (s.name.equals(name) && s.labels.equals(labels)) {
                    return s.value;
                }
            }
        }
        throw new AssertionError("no sample " + name + labels);
    }

    boolean has(String family) {
        return families.containsKey(family);
    }

    private void read(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the text does not end with a newline");
        }
        Map<String, String> help = new HashMap<>();
        Family current = null;
        Set<String> series = new HashSet<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                String name = parts[0];
                check(NAME.matcher(name).matches(), n, "bad metric name " + name);
                if (line.startsWith("# HELP ")) {
                    check(!help.containsKey(name), n, "second HELP for " + name);
                    check(parts.length == 2 && !parts[1].isBlank(), n, "empty HELP for " + name);
                    help.put(name, parts[1]);
                    continue;
                }
                check(!families.containsKey(name), n, "second TYPE for " + name);
                String type = parts.length == 2 ? parts[1] : "";
                check(Set.of("counter", "gauge", "histogram", "summary", "untyped").contains(type), n, "bad type " + type);
                check(help.containsKey(name), n, name + " has no HELP");
                check(!type.equals("counter") || name.endsWith("_total"), n, "counter " + name + " does not end in _total");
                current = new Family(name, type, help.get(name), new ArrayList<>());
                families.put(name, current);
                continue;
            }
            check(!line.startsWith("#"), n, "unknown comment: " + line);
            Matcher m = SAMPLE.matcher(line);
            check(m.matches(), n, "not a sample: " + line);
            String name = m.group(1);
            check(current != null && belongs(current, name), n, name + " outside its family's TYPE block");
            Map<String, String> labels = labels(m.group(3), n);
            check(series.add(name + labels), n, "repeated series " + name + labels);
            double value = number(m.group(4), n);
            current.samples.add(new Sample(name, labels, value));
        }
        families.values().forEach(f -> {
            if (f.type.equals("histogram")) {
                checkHistogram(f);
            }
        });
    }

    private static boolean belongs(Family f, String sample) {
        return switch (f.type) {
            case "histogram" -> sample.equals(f.name + "_bucket") || sample.equals(f.name + "_sum")
                    || sample.equals(f.name + "_count");
            case "summary" -> sample.equals(f.name) || sample.equals(f.name + "_sum") || sample.equals(f.name + "_count");
            default -> sample.equals(f.name);
        };
    }

    private static Map<String, String> labels(String text, int n) {
        Map<String, String> out = new TreeMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            check(m.find(at) && m.start() == at, n, "bad labels {" + text + "}");
            check(out.put(m.group(1), m.group(2)) == null, n, "label " + m.group(1) + " given twice");
            at = m.end();
        }
        return out;
    }

    private static double number(String s, int n) {
        switch (s) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new AssertionError("line " + n + ": bad value " + s);
                }
        }
    }

    private static void checkHistogram(Family f) {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new HashMap<>();
        for (Sample s : f.samples) {
            Map<String, String> rest = new TreeMap<>(s.labels);
            if (s.name.endsWith("_bucket")) {
                check(rest.remove("le") != null, 0, f.name + " bucket without le");
                buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
            } else if (s.name.endsWith("_count")) {
                counts.put(rest, s.value);
            }
        }
        check(!buckets.isEmpty(), 0, f.name + " has no buckets");
        buckets.forEach((labels, list) -> {
            double le = Double.NEGATIVE_INFINITY;
            double cumulative = 0;
            for (Sample b : list) {
                double bound = number(b.labels.get("le"), 0);
                check(bound > le, 0, f.name + " buckets not ascending at le=" + b.labels.get("le"));
                check(b.value >= cumulative, 0, f.name + " buckets not cumulative at le=" + b.labels.get("le"));
                le = bound;
                cumulative = b.value;
            }
            check(le == Double.POSITIVE_INFINITY, 0, f.name + " has no +Inf bucket");
            check(counts.containsKey(labels) && counts.get(labels) == cumulative, 0,
                    f.name + "_count differs from its +Inf bucket");
        });
    }

    private static void check(boolean ok, int line, String problem) {
        if (!ok) {
            throw new AssertionError((line > 0 ? "line " + line + ": " : "") + problem);
        }
    }
}
