package org.rtmfpd.registry;

import java.util.Optional;

/**
 * A user name of the name registry: the text a user registered or looked up, and the form names are
 * compared in. Names compare without regard to ASCII case, as the original service's SQLite column
 * ({@code COLLATE NOCASE}) did: {@code Alice} and {@code ALICE} are one name, {@code Jörg} and
 * {@code JÖRG} are two.
 *
 * @param text   the name as received (answers echo the name as asked)
 * @param folded the name with A to Z lowered: the form every store keys on
 */
public record UserName(String text, String folded) {
    /** Longest name accepted, in UTF-16 characters. */
    public static final int MAX_LENGTH = 64;

    public UserName {
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (!fold(text).equals(folded)) {
            throw new IllegalArgumentException("folded must be the folded text");
        }
    }

    /** The name {@code text}; throws IllegalArgumentException saying what is wrong with it. */
    public static UserName of(String text) {
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new UserName(text, fold(text));
    }

    /** Why {@code text} cannot be a user name, or empty if it can. */
    public static Optional<String> check(String text) {
        return Optional.ofNullable(problem(text));
    }

    /** Whether both name the same user. */
    public boolean sameAs(UserName other) {
        return folded.equals(other.folded);
    }

    private static String problem(String text) {
        if (text == null || text.isEmpty()) {
            return "the user name is empty";
        }
        if (text.length() > MAX_LENGTH) {
            return "the user name is " + text.length() + " characters long; the limit is " + MAX_LENGTH;
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (Character.isISOControl(cp) || Character.isSurrogate((char) cp) && Character.charCount(cp) == 1
                    || cp == 0xFFFE || cp == 0xFFFF) {
                return "the user name may not hold control characters or U+FFFE/U+FFFF (found "
                        + String.format("U+%04X", cp) + " at position " + (i + 1) + ")";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    private static String fold(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return out == null ? text : out.toString();
    }
}
