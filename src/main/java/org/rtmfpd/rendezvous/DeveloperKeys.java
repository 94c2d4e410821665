package org.rtmfpd.rendezvous;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An immutable set of developer keys, and the parser that turns the keys file into one.
 *
 * <p>File format (UTF-8), one key per line:
 * <pre>
 * # a comment; blank lines are ignored
 * KEY [name=value]...   # a trailing comment
 * </pre>
 * The key comes first: 1 to 256 printable ASCII characters other than {@code / # = "}. Settings
 * follow as {@code name=value} tokens with no spaces around {@code =}: {@code peer-cap=N} (1 to
 * 10000), {@code max-sessions=N} (at least 1) and {@code label=TEXT}. A value may be put in double
 * quotes, which lets a label hold spaces and {@code #}; there are no escapes, so a label cannot hold
 * {@code "}. {@code #} outside quotes starts a comment. A key may appear only once. Any bad line
 * rejects the whole file, with one message per problem. Messages name the line, never the key: the
 * server logs them, and a repeated key is named by {@link DeveloperKey#logNameOf its hash}.
 */
public final class DeveloperKeys {
    /** Largest keys file read, so that a wrong path cannot make the server read a disk image. */
    public static final int MAX_FILE_BYTES = 16 * 1024 * 1024;
    private static final int MAX_PROBLEMS = 20;
    static final String SETTINGS = "peer-cap=, max-sessions=, label=";

    private static final DeveloperKeys EMPTY = new DeveloperKeys(Map.of());

    private final Map<String, DeveloperKey> byKey;

    private DeveloperKeys(Map<String, DeveloperKey> byKey) {
        this.byKey = byKey;
    }

    public static DeveloperKeys empty() {
        return EMPTY;
    }

    /** A set of the given keys, in the given order; duplicate keys are rejected. */
    public static DeveloperKeys of(Collection<DeveloperKey> keys) {
        Map<String, DeveloperKey> map = new LinkedHashMap<>();
        for (DeveloperKey k : keys) {
            if (map.putIfAbsent(k.key(), k) != null) {
                throw new IllegalArgumentException("duplicate developer key " + k.logName());
            }
        }
        return new DeveloperKeys(Collections.unmodifiableMap(map));
    }

    /** Reads and parses the keys file at {@code file}. */
    public static DeveloperKeys load(Path file) throws DeveloperKeysException {
        return parse(file.toString(), read(file));
    }

    /** The problem of a keys file that does not exist. */
    static DeveloperKeysException missing(Path file) {
        return new DeveloperKeysException(file + ": no such file; create it (one key per line, or with rtmfpd keys new"
                + " --file " + file + "), or name the right file");
    }

    /** "1 key", "3 keys". */
    public static String count(int n) {
        return n + (n == 1 ? " key" : " keys");
    }

    /** Reads the raw bytes of a keys file, with a message that says what to do when that fails. */
    static byte[] read(Path file) throws DeveloperKeysException {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new DeveloperKeysException(file + ": the file is larger than " + MAX_FILE_BYTES
                        + " bytes; is this really the developer-keys file?");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw missing(file);
        } catch (IOException e) {
            throw new DeveloperKeysException(file + ": cannot read the file (" + e + ")");
        }
    }

    /**
     * Parses the contents of a keys file.
     *
     * @param source the file name to put in messages
     * @param bytes  the file's bytes, UTF-8 (a leading byte-order mark is skipped)
     */
    public static DeveloperKeys parse(String source, byte[] bytes) throws DeveloperKeysException {
        return parse(source, decode(source, bytes));
    }

    /** Parses the text of a keys file; {@code source} names it in messages. */
    public static DeveloperKeys parse(String source, String text) throws DeveloperKeysException {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> problems = new ArrayList<>();
        Map<String, DeveloperKey> keys = new LinkedHashMap<>();
        Map<String, Integer> lineOfKey = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length && problems.size() < MAX_PROBLEMS; i++) {
            int lineNo = i + 1;
            try {
                DeveloperKey key = parseLine(lines[i]);
                if (key == null) {
                    continue;
                }
                Integer first = lineOfKey.putIfAbsent(key.key(), lineNo);
                if (first != null) {
                    throw new LineException("this key (" + DeveloperKey.logNameOf(key.key())
                            + ") is already defined on line " + first + "; remove one of the two lines");
                }
                keys.put(key.key(), key);
            } catch (LineException e) {
                problems.add(source + ":" + lineNo + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            if (problems.size() >= MAX_PROBLEMS) {
                problems.add(source + ": stopped after " + MAX_PROBLEMS + " problems");
            }
            throw new DeveloperKeysException(problems);
        }
        return new DeveloperKeys(Collections.unmodifiableMap(keys));
    }

    /** The key with this exact spelling (keys are case-sensitive). */
    public Optional<DeveloperKey> find(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(byKey.get(key));
    }

    public boolean contains(String key) {
        return key != null && byKey.containsKey(key);
    }

    public int size() {
        return byKey.size();
    }

    public boolean isEmpty() {
        return byKey.isEmpty();
    }

    /** All keys, in file order. */
    public List<DeveloperKey> keys() {
        return List.copyOf(byKey.values());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeveloperKeys other && byKey.equals(other.byKey);
    }

    @Override
    public int hashCode() {
        return byKey.hashCode();
    }

    @Override
    public String toString() {
        return count(byKey.size());
    }

    // ---- parsing -----------------------------------------------------------------------------

    private static final class LineException extends Exception {
        LineException(String message) {
            super(message, null, false, false);
        }
    }

    /** One line: null when it is blank or a comment. */
    private static DeveloperKey parseLine(String line) throws LineException {
        int n = line.length();
        int i = skipBlanks(line, 0);
        if (i == n || line.charAt(i) == '#') {
            return null;
        }
        int start = i;
        while (i < n && !isBlank(line.charAt(i)) && line.charAt(i) != '#') {
            i++;
        }
        String key = line.substring(start, i);
        if (key.indexOf('=') >= 0 && settingName(key.substring(0, key.indexOf('='))) != null) {
            throw new LineException("the line starts with the setting '" + key + "'; put the key first,"
                    + " then its settings");
        }
        String problem = DeveloperKey.keyProblem(key);
        if (problem != null) {
            throw new LineException(problem); // not quoted: a mistyped key is still a secret
        }

        String label = null;
        Integer peerCap = null;
        Integer maxSessions = null;
        while (true) {
            i = skipBlanks(line, i);
            if (i == n || line.charAt(i) == '#') {
                break;
            }
            int tokenStart = i;
            while (i < n && line.charAt(i) != '=' && !isBlank(line.charAt(i)) && line.charAt(i) != '#') {
                i++;
            }
            String name = line.substring(tokenStart, i);
            if (i == n || line.charAt(i) != '=') {
                if (name.isEmpty()) {
                    throw new LineException("expected a setting name=value after the key; write"
                            + " settings with no spaces around '='");
                }
                if (settingName(name) != null) {
                    throw new LineException(name + " needs a value: write " + name + "=VALUE with no spaces"
                            + " around '='");
                }
                throw new LineException("expected a setting name=value after the key, got '" + name
                        + "'; a key is one word, and settings are " + SETTINGS);
            }
            String canonical = settingName(name);
            if (canonical == null) {
                throw new LineException(name.isEmpty()
                        ? "a setting is missing its name before '='; write settings with no spaces"
                                + " around '=': " + SETTINGS
                        : "unknown setting '" + name + "'; the settings are " + SETTINGS);
            }
            i++; // '='
            String value;
            if (i < n && line.charAt(i) == '"') {
                int close = line.indexOf('"', i + 1);
                if (close < 0) {
                    throw new LineException(canonical + ": the closing '\"' is missing");
                }
                value = line.substring(i + 1, close);
                i = close + 1;
                if (i < n && !isBlank(line.charAt(i)) && line.charAt(i) != '#') {
                    throw new LineException(canonical + ": put a space after the closing '\"'");
                }
            } else {
                int valueStart = i;
                while (i < n && !isBlank(line.charAt(i)) && line.charAt(i) != '#') {
                    if (line.charAt(i) == '"') {
                        throw new LineException(canonical + ": a '\"' may only open a value; quote the"
                                + " whole value, as in label=\"my app\"");
                    }
                    i++;
                }
                value = line.substring(valueStart, i);
                if (value.isEmpty()) {
                    throw new LineException(canonical + " has no value; write " + canonical + "=VALUE with no"
                            + " spaces around '='");
                }
            }
            switch (canonical) {
                case "peer-cap" -> {
                    if (peerCap != null) {
                        throw duplicateSetting(canonical);
                    }
                    peerCap = number(canonical, value, DeveloperKey.MAX_PEER_CAP);
                }
                case "max-sessions" -> {
                    if (maxSessions != null) {
                        throw duplicateSetting(canonical);
                    }
                    maxSessions = number(canonical, value, Integer.MAX_VALUE);
                }
                default -> {
                    if (label != null) {
                        throw duplicateSetting(canonical);
                    }
                    label = label(value);
                }
            }
        }
        return new DeveloperKey(key, label == null ? "" : label,
                peerCap == null ? OptionalInt.empty() : OptionalInt.of(peerCap),
                maxSessions == null ? OptionalInt.empty() : OptionalInt.of(maxSessions));
    }

    private static String settingName(String name) {
        return switch (name) {
            case "peer-cap", "max-sessions", "label" -> name;
            default -> null;
        };
    }

    private static LineException duplicateSetting(String canonical) {
        return new LineException(canonical + " is given twice on this line; keep one");
    }

    private static int number(String canonical, String value, int max) throws LineException {
        String name = canonical;
        String range = max == Integer.MAX_VALUE ? "a positive whole number" : "a whole number from 1 to " + max;
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new LineException(name + " must be " + range + ", got '" + value + "'");
        }
        long v = Long.parseLong(value);
        if (v < 1 || v > max) {
            throw new LineException(name + " must be " + range + ", got '" + value + "'");
        }
        return (int) v;
    }

    private static String label(String value) throws LineException {
        if (value.isEmpty()) {
            throw new LineException("label is empty; leave it out or give it some text");
        }
        if (value.length() > DeveloperKey.MAX_LABEL_LENGTH) {
            throw new LineException("label is " + value.length() + " characters long; the limit is "
                    + DeveloperKey.MAX_LABEL_LENGTH);
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new LineException("label contains a control character (tab?); use plain spaces");
            }
        }
        return value;
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && isBlank(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static String decode(String source, byte[] bytes) throws DeveloperKeysException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new DeveloperKeysException(source + ":" + line + ": this line is not valid UTF-8 text;"
                    + " save the file as UTF-8 (or plain ASCII)");
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
