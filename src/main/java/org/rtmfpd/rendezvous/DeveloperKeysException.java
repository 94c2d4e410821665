package org.rtmfpd.rendezvous;

import java.util.List;

/** The developer-keys file could not be used; each problem reads {@code file:line: what and what to do}. */
public final class DeveloperKeysException extends Exception {
    private final List<String> problems;

    public DeveloperKeysException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an exception needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public DeveloperKeysException(String problem) {
        this(List.of(problem));
    }

    /** Every problem found, in file order; the file is rejected as a whole. */
    public List<String> problems() {
        return problems;
    }
}
