package org.rtmfpd.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the rtmfpd command line: {@code serve}, {@code probe}, {@code bench}, {@code keys}. */
@Command(name = "rtmfpd", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "An open RTMFP rendezvous server (RFC 7016 / RFC 7425).",
        subcommands = {ServeCommand.class, ProbeCommand.class, BenchCommand.class, KeysCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with its subcommands, ready to execute. */
    static CommandLine commandLine() {
        return UsageErrors.install(new CommandLine(new Main()));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: serve, probe, bench or keys");
    }
}
