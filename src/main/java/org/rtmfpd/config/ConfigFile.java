package org.rtmfpd.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads rtmfpd.conf into a {@link ServerConfig.Builder}.
 *
 * <p>Format (UTF-8): one {@code name = value} per line (spaces around {@code =} optional); names are
 * the long command-line options without their dashes ({@link ConfigOption}), and an on/off option
 * takes {@code true} or {@code false} where the command line has {@code --name} or {@code --no-name};
 * {@code #} starts a comment, on its own line or after a value; blank lines are ignored. Each option
 * may appear once, except {@code listen}, whose lines accumulate into the list of addresses (replacing
 * the default). Values run to the end of the line or the comment, without quotes, so file names cannot
 * contain {@code #}. Every problem is reported with {@code file:line}; one bad line rejects the file.
 */
public final class ConfigFile {
    /** Where rtmfpd looks when {@code --config} is not given. */
    public static final Path DEFAULT_PATH = Path.of("config", "rtmfpd.conf");
    private static final int MAX_FILE_BYTES = 1024 * 1024;
    private static final int MAX_PROBLEMS = 20;

    private ConfigFile() {
    }

    /**
     * Reads {@code file} into {@code into} and returns it. Afterwards a {@code --listen} given to
     * {@code into} replaces the file's listen addresses instead of adding to them.
     */
    public static ServerConfig.Builder read(Path file, ServerConfig.Builder into) throws ConfigException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(file + ": the file is larger than " + MAX_FILE_BYTES
                        + " bytes; is this really rtmfpd.conf?");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file; create it, or leave --config out to run on the"
                    + " defaults");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the file (" + e + ")");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": the file is not UTF-8 text; save it as UTF-8 (or plain ASCII)");
        }
        return parse(file.toString(), text, into);
    }

    /**
     * As {@link #read}, but a missing file is not an error: rtmfpd runs on its defaults when it finds
     * no config/rtmfpd.conf and none was named. Returns whether the file was there.
     */
    public static boolean readIfPresent(Path file, ServerConfig.Builder into) throws ConfigException {
        if (!Files.exists(file)) {
            return false;
        }
        read(file, into);
        return true;
    }

    /** Parses the text of a configuration file; {@code source} names it in messages. */
    public static ServerConfig.Builder parse(String source, String text, ServerConfig.Builder into)
            throws ConfigException {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> problems = new ArrayList<>();
        Map<ConfigOption, Integer> seen = new EnumMap<>(ConfigOption.class);
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length && problems.size() < MAX_PROBLEMS; i++) {
            int lineNo = i + 1;
            String problem = line(lines[i], lineNo, seen, into);
            if (problem != null) {
                problems.add(source + ":" + lineNo + ": " + problem);
            }
        }
        if (!problems.isEmpty()) {
            if (problems.size() >= MAX_PROBLEMS) {
                problems.add(source + ": stopped after " + MAX_PROBLEMS + " problems");
            }
            throw new ConfigException(problems);
        }
        into.resetListen();
        return into;
    }

    /**
     * A flag written in the file as on the command line ({@code --open-introductions},
     * {@code no-open-introductions}): the problem, showing how the file says it. {@code value} is what
     * followed {@code =}, or null when the line has none.
     */
    private static Optional<String> commandLineFlag(String word, String value) {
        String w = word.startsWith("--") ? word.substring(2) : word;
        boolean off = w.startsWith("no-");
        Optional<ConfigOption> flag = ConfigOption.byName(off ? w.substring(3) : w).filter(ConfigOption::isFlag);
        if (flag.isEmpty() || (!off && (value != null || w.equals(word)))) {
            return Optional.empty();
        }
        String name = flag.get().optionName();
        String wanted = value != null ? "'" + name + " = true' or '" + name + " = false'"
                : "'" + name + " = " + !off + "'";
        return Optional.of("'" + word + "' is the command-line form; in the file write " + wanted);
    }

    /** One line: null when fine (or blank), otherwise the problem. */
    private static String line(String raw, int lineNo, Map<ConfigOption, Integer> seen, ServerConfig.Builder into) {
        int hash = raw.indexOf('#');
        String line = (hash < 0 ? raw : raw.substring(0, hash)).strip();
        if (line.isEmpty()) {
            return null;
        }
        int eq = line.indexOf('=');
        if (eq < 0) {
            String word = line.split("\\s+", 2)[0];
            Optional<String> flagForm = commandLineFlag(word, null);
            if (flagForm.isPresent()) {
                return flagForm.get();
            }
            Optional<ConfigOption> o = ConfigOption.byName(word).or(() -> ConfigOption.suggest(word));
            return o.map(opt -> "expected '" + opt.optionName() + " = " + opt.valueLabel() + "'")
                    .orElse("expected 'name = value', got '" + line + "'; the names are " + ConfigOption.names());
        }
        String name = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        if (name.isEmpty()) {
            return "the option name is missing before '='; the names are " + ConfigOption.names();
        }
        Optional<ConfigOption> option = ConfigOption.byName(name);
        if (option.isEmpty()) {
            if (name.equals("config")) {
                return "config can only be given on the command line (--config FILE)";
            }
            Optional<String> flagForm = commandLineFlag(name, value);
            if (flagForm.isPresent()) {
                return flagForm.get();
            }
            Optional<ConfigOption> guess = ConfigOption.suggest(name);
            return "unknown option '" + name + "'"
                    + guess.map(g -> " (did you mean " + g.optionName() + "?)").orElse("")
                    + "; the options are " + ConfigOption.names();
        }
        ConfigOption o = option.get();
        Integer before = seen.putIfAbsent(o, lineNo);
        if (before != null && !o.repeatable()) {
            return o.optionName() + " is already set on line " + before + "; keep one of the two lines";
        }
        try {
            o.apply(into, value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
