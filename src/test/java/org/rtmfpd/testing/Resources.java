package org.rtmfpd.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the shared test vectors and captures from the test class path. */
public final class Resources {
    private static final Pattern JSON_PAIR = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([^\"]*)\"");

    private Resources() {
    }

    public static byte[] bytes(String path) {
        try (InputStream in = Resources.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    /** The scenarios of flash-crypto-vectors.json: an array of flat objects of strings. */
    public static List<Map<String, String>> cryptoScenarios() {
        List<Map<String, String>> scenarios = new ArrayList<>();
        for (String object : text("/vectors/flash-crypto-vectors.json").split("\\}")) {
            Map<String, String> map = new LinkedHashMap<>();
            Matcher m = JSON_PAIR.matcher(object);
            while (m.find()) {
                map.put(m.group(1), m.group(2));
            }
            if (!map.isEmpty()) {
                scenarios.add(map);
            }
        }
        return scenarios;
    }

    /** {@code name=value} lines, {@code #} comments skipped. */
    public static Map<String, String> keyValues(String path) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : text(path).split("\n")) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                map.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return map;
    }

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
