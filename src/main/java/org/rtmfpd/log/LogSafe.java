package org.rtmfpd.log;

import java.util.HexFormat;

/**
 * Turns strings and bytes that a remote party controls (connect URLs, command names, exception
 * messages about its input) into text that is safe in a log line: one line, only visible characters,
 * bounded length. A newline cannot forge a second log line, a terminal escape cannot recolour the
 * console, a right-to-left override cannot reorder what the operator reads.
 *
 * <p>Escapes: {@code \n}, {@code \r}, {@code \t} and {@code \\} as written here; every other control
 * character, format character (zero-width, bidirectional controls, byte-order mark), line or paragraph
 * separator, space other than U+0020, private-use, unassigned code point and unpaired surrogate as
 * {@code \}{@code uXXXX}. Text longer than the bound is cut (never inside a surrogate pair) and ends
 * with {@code …(N chars)}, N the length received.
 */
public final class LogSafe {
    /** Characters of remote text kept in a log line. */
    public static final int MAX_CHARS = 64;
    /** Characters kept of an exception message, which may quote remote input. */
    public static final int MAX_MESSAGE_CHARS = 160;
    /** Bytes of remote binary data (a tag, say) kept in a log line, in hex. */
    public static final int MAX_BYTES = 32;

    private static final HexFormat HEX = HexFormat.of();

    private LogSafe() {
    }

    /** {@code text} escaped and cut at {@link #MAX_CHARS}; {@code "null"} for null. */
    public static String text(String text) {
        return text(text, MAX_CHARS);
    }

    /** {@code text} escaped and cut at {@code maxChars} characters of the original. */
    public static String text(String text, int maxChars) {
        if (text == null) {
            return "null";
        }
        int end = Math.min(text.length(), maxChars);
        if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))
                && Character.isLowSurrogate(text.charAt(end))) {
            end--;
        }
        StringBuilder out = null;
        for (int i = 0; i < end; ) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            String escape = escape(cp);
            if (escape != null && out == null) {
                out = new StringBuilder(end + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.appendCodePoint(cp);
                }
            }
            i += width;
        }
        if (out == null && end == text.length()) {
            return text;
        }
        if (out == null) {
            out = new StringBuilder(end + 16).append(text, 0, end);
        }
        if (end < text.length()) {
            out.append('\u2026').append('(').append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /** The exception's class and its message, escaped and cut at {@link #MAX_MESSAGE_CHARS}. */
    public static String message(Throwable e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + text(e.getMessage(), MAX_MESSAGE_CHARS);
    }

    /**
     * A log argument that runs {@code text} only when a line is written: a line the level or a
     * {@link LogLimiter} leaves out then costs no formatting (a hex peer ID, a key's hash).
     */
    public static Object lazy(java.util.function.Supplier<String> text) {
        return new Object() {
            @Override
            public String toString() {
                return text.get();
            }
        };
    }

    /** {@code bytes} in hex, cut at {@link #MAX_BYTES}; {@code "null"} for null. */
    public static String hex(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        if (bytes.length <= MAX_BYTES) {
            return HEX.formatHex(bytes);
        }
        return HEX.formatHex(bytes, 0, MAX_BYTES) + "\u2026(" + bytes.length + " bytes)";
    }

    /** The escape for one code point, or null when it may be written as it is. */
    private static String escape(int cp) {
        switch (cp) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            case '\\':
                return "\\\\";
            case ' ':
                return null;
            default:
                break;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> {
                if (Character.isBmpCodePoint(cp)) {
                    return String.format("\\u%04x", cp);
                }
                return String.format("\\u%04x\\u%04x", (int) Character.highSurrogate(cp),
                        (int) Character.lowSurrogate(cp));
            }
            default -> {
                return null;
            }
        }
    }
}
