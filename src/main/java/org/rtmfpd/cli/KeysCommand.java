package org.rtmfpd.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.rtmfpd.rendezvous.DeveloperKey;
import org.rtmfpd.rendezvous.DeveloperKeys;
import org.rtmfpd.rendezvous.DeveloperKeysException;
import org.rtmfpd.rendezvous.DeveloperKeysFile;
import org.rtmfpd.config.ConfigDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rtmfpd keys new|check|list}: issue developer keys, check and list the keys file. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Issue, check and list developer keys.",
        subcommands = {KeysCommand.New.class, KeysCommand.Check.class, KeysCommand.List.class})
public final class KeysCommand implements Runnable {
    static final String KEYS_FILE_DEFAULT = "The keys file (default: developer-keys.conf in $RTMFPD_CONFIG_DIR, which"
            + " is /etc/rtmfpd for the installed package; config/developer-keys.conf in a source tree).";
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a keys command: new, check or list");
    }

    /** {@code rtmfpd keys new}: a key in the Cirrus format, appended to the keys file. */
    @Command(name = "new", mixinStandardHelpOptions = true,
            description = "Make a developer key, add it to the keys file and print it with its rtmfp:// URL.")
    static final class New implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--label", paramLabel = "TEXT", description = "A name for logs and metrics (no '\"').")
        String label = "";

        @Option(names = "--peer-cap", paramLabel = "N", description = "This key's peer cap (1 to 10000).")
        Integer peerCap;

        @Option(names = "--max-sessions", paramLabel = "N", description = "Most clients of this key at once.")
        Integer maxSessions;

        @Option(names = "--file", paramLabel = "FILE", description = KEYS_FILE_DEFAULT)
        Path file = ConfigDirectory.current().developerKeys();

        @Option(names = "--host", paramLabel = "HOST[:PORT]", description = "The server's name in the printed URL"
                + " (default: this machine's host name).")
        String host;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            DeveloperKey key;
            try {
                key = new DeveloperKey(DeveloperKeysFile.newKey(new SecureRandom()), label,
                        peerCap == null ? OptionalInt.empty() : OptionalInt.of(peerCap),
                        maxSessions == null ? OptionalInt.empty() : OptionalInt.of(maxSessions));
            } catch (IllegalArgumentException e) {
                err.println("rtmfpd keys new: " + e.getMessage());
                return 2;
            }
            try {
                DeveloperKeys now = DeveloperKeysFile.append(file, key);
                out.println(key.key());
                out.println("rtmfp://" + host() + "/" + key.key());
                out.println("added to " + file + " (" + DeveloperKeys.count(now.size()) + "); a running server that reads this file picks"
                        + " it up within a few seconds");
                return 0;
            } catch (DeveloperKeysException e) {
                err.println("rtmfpd keys new: nothing added:");
                e.problems().forEach(p -> err.println("  " + p));
                return 1;
            } catch (IOException e) {
                err.println("rtmfpd keys new: nothing added: cannot write " + file + ": " + describe(e));
                return 1;
            }
        }

        /** An I/O error as a sentence: the message of this project's own, the JDK's class and file otherwise. */
        private static String describe(IOException e) {
            return e.getClass() == IOException.class ? e.getMessage() : e.toString();
        }

        private String host() {
            if (host != null) {
                return host;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "localhost";
            }
        }
    }

    /** {@code rtmfpd keys check}: every problem of the keys file, with its line. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check a keys file; report each problem with its line (exit status 1 if any).")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = KEYS_FILE_DEFAULT)
        Path file = ConfigDirectory.current().developerKeys();

        @Override
        public Integer call() {
            try {
                DeveloperKeys keys = DeveloperKeys.load(file);
                spec.commandLine().getOut().println(file + ": " + DeveloperKeys.count(keys.size())
                        + ", no problems" + (keys.isEmpty() ? " (but every connect will be rejected)" : ""));
                return 0;
            } catch (DeveloperKeysException e) {
                e.problems().forEach(spec.commandLine().getErr()::println);
                return 1;
            }
        }
    }

    /** {@code rtmfpd keys list}: the keys, masked, with their labels and settings. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the keys (masked), their settings and the name logs and metrics give each.")
    static final class List implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--file", paramLabel = "FILE", description = KEYS_FILE_DEFAULT)
        Path file = ConfigDirectory.current().developerKeys();

        @Override
        public Integer call() {
            DeveloperKeys keys;
            try {
                keys = DeveloperKeys.load(file);
            } catch (DeveloperKeysException e) {
                e.problems().forEach(spec.commandLine().getErr()::println);
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(file + ": " + DeveloperKeys.count(keys.size()));
            out.printf("%-6s %-13s %-8s %-12s %s%n", "KEY", "HASH", "PEER-CAP", "MAX-SESSIONS",
                    "NAME IN LOGS AND METRICS");
            for (DeveloperKey k : keys.keys()) {
                out.printf("%-6s %-13s %-8s %-12s %s%n", mask(k.key()), DeveloperKey.logNameOf(k.key()),
                        k.peerCap().isPresent() ? String.valueOf(k.peerCap().getAsInt()) : "-",
                        k.maxSessions().isPresent() ? String.valueOf(k.maxSessions().getAsInt()) : "-",
                        k.logName());
            }
            return 0;
        }

        /** The first four characters of a key of 16 or more, nothing of a shorter one. */
        static String mask(String key) {
            return key.length() >= 16 ? key.substring(0, 4) + "…" : "…";
        }
    }
}
