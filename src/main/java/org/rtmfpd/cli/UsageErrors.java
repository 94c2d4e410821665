package org.rtmfpd.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a command-line mistake in one line, then where the options are explained, instead of picocli's
 * message followed by the whole usage text; picocli's "did you mean" suggestions stay. A {@code true} or
 * {@code false} after an on/off option ({@code --open-introductions true}, the spelling before these
 * options became flags) gets a message that shows the flag forms.
 */
final class UsageErrors implements IParameterExceptionHandler {
    private UsageErrors() {
    }

    /** Installs the handler on {@code line}; returns {@code line}. */
    static CommandLine install(CommandLine line) {
        line.setParameterExceptionHandler(new UsageErrors());
        return line;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine line = ex.getCommandLine();
        PrintWriter err = line.getErr();
        String message = ex.getMessage();
        if (ex instanceof UnmatchedArgumentException unmatched) {
            String hint = hint(unmatched.getCommandLine().getCommandSpec(), List.of(args), unmatched.getUnmatched());
            if (hint != null) {
                message = hint;
            }
        }
        String command = line.getCommandSpec().qualifiedName();
        err.println(command + ": " + message);
        if (ex instanceof UnmatchedArgumentException unmatched) {
            UnmatchedArgumentException.printSuggestions(unmatched, err);
        }
        err.println("'" + command + " --help' lists the options.");
        err.flush();
        return line.getCommandSpec().exitCodeOnInvalidInput();
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
