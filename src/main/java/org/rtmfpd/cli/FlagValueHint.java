package org.rtmfpd.cli;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns picocli's "Unmatched argument" for a {@code true} or {@code false} after an on/off option
 * ({@code --open-introductions true}, the spelling before these options became flags) into a message
 * that shows the flag forms; every other parameter error goes to picocli's own handler unchanged.
 */
final class FlagValueHint implements IParameterExceptionHandler {
    private final IParameterExceptionHandler standard;

    private FlagValueHint(IParameterExceptionHandler standard) {
        this.standard = standard;
    }

    /** Installs the hint in front of {@code line}'s current handler; returns {@code line}. */
    static CommandLine install(CommandLine line) {
        line.setParameterExceptionHandler(new FlagValueHint(line.getParameterExceptionHandler()));
        return line;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) throws Exception {
        if (ex instanceof UnmatchedArgumentException unmatched) {
            String hint = hint(unmatched.getCommandLine().getCommandSpec(), List.of(args), unmatched.getUnmatched());
            if (hint != null) {
                return standard.handleParseException(new ParameterException(ex.getCommandLine(), hint, ex), args);
            }
        }
        return standard.handleParseException(ex, args);
    }

    /** The message for the first unmatched true/false that follows a flag of {@code spec}, or null. */
    static String hint(CommandSpec spec, List<String> args, List<String> unmatched) {
        for (int i = 1; i < args.size(); i++) {
            String value = args.get(i);
            String lower = value.toLowerCase(Locale.ROOT);
            if (!(lower.equals("true") || lower.equals("false")) || !unmatched.contains(value)) {
                continue;
            }
            String option = args.get(i - 1);
            String on = option.startsWith("--no-") ? "--" + option.substring("--no-".length()) : option;
            OptionSpec flag = spec.findOption(on);
            if (flag != null && flag.negatable()) {
                return "'" + option + " " + value + "': " + on + " takes no value; write " + on + " to turn it on"
                        + " or --no-" + on.substring(2) + " to turn it off (" + on + "=true and " + on
                        + "=false work too)";
            }
        }
        return null;
    }
}
