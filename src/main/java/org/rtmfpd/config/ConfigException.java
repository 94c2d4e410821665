package org.rtmfpd.config;

import java.util.List;

/** The configuration file could not be used; each problem reads {@code file:line: what and what to do}. */
public final class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an exception needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** Every problem found, in file order. */
    public List<String> problems() {
        return problems;
    }
}
