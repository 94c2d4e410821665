package org.rtmfpd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.config.ConfigException;
import org.rtmfpd.config.ConfigOption;
import org.rtmfpd.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code rtmfpd serve}'s settings from a file and the command line, without starting a server. */
class ServeCommandTest {
    @TempDir
    Path dir;

    /** The settings {@code rtmfpd serve} would run with, given rtmfpd.conf lines and arguments. */
    private ServerConfig settings(String fileText, String... args) throws Exception {
        Path file = dir.resolve("rtmfpd.conf");
        Files.writeString(file, fileText);
        List<String> all = new ArrayList<>(List.of("--config", file.toString()));
        all.addAll(List.of(args));
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(all.toArray(String[]::new));
        return serve.settings();
    }

    @Test
    void flagTurnsOpenIntroductionsOn() throws Exception {
        assertFalse(settings("").openIntroductions(), "off by default");
        assertTrue(settings("", "--open-introductions").openIntroductions());
        assertTrue(settings("open-introductions = false\n", "--open-introductions").openIntroductions(),
                "the command line overrides the file");
    }

    @Test
    void negatedFlagOverridesTheFilesTrue() throws Exception {
        assertFalse(settings("open-introductions = true\n", "--no-open-introductions").openIntroductions());
        assertFalse(settings("", "--no-open-introductions").openIntroductions());
    }

    @Test
    void fileDecidesWhenTheCommandLineSaysNothing() throws Exception {
        assertTrue(settings("open-introductions = true\n").openIntroductions());
        assertFalse(settings("open-introductions = false\n").openIntroductions());
        assertTrue(settings("open-introductions = true\n", "--peer-cap", "8").openIntroductions());
    }

    @Test
    void explicitValueAfterEqualsSignStillWorks() throws Exception {
        assertTrue(settings("", "--open-introductions=true").openIntroductions());
        assertFalse(settings("open-introductions = true\n", "--open-introductions=false").openIntroductions());
    }

    @Test
    void badFileValueNamesFileLineOptionAndValues() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> settings("peer-cap = 8\nopen-introductions = yes\n", "--open-introductions"));
        assertEquals(dir.resolve("rtmfpd.conf") + ":2: open-introductions must be true or false, got 'yes'",
                e.getMessage());
    }

    private record Run(int exit, String err) {
    }

    /** {@code rtmfpd ARGS} through {@link Main}'s command line, as far as picocli's parsing. */
    private static Run rtmfpd(String... args) {
        StringWriter err = new StringWriter();
        CommandLine line = Main.commandLine();
        line.setOut(new PrintWriter(new StringWriter()));
        line.setErr(new PrintWriter(err));
        int exit = line.execute(args);
        return new Run(exit, err.toString());
    }

    @Test
    void valueAfterTheFlagGetsAHintShowingTheFlagForms() {
        Run run = rtmfpd("serve", "--listen", "127.0.0.1:0", "--open-introductions", "true");
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().startsWith("'--open-introductions true': --open-introductions takes no value;"
                + " write --open-introductions to turn it on or --no-open-introductions to turn it off"
                + " (--open-introductions=true and --open-introductions=false work too)"), run.err());
        assertTrue(rtmfpd("serve", "--no-open-introductions", "False").err()
                .startsWith("'--no-open-introductions False': --open-introductions takes no value;"));
        Run other = rtmfpd("serve", "--peer-cap", "8", "extra");
        assertEquals(2, other.exit());
        assertTrue(other.err().startsWith("Unmatched argument at index 3: 'extra'"), other.err());
    }

    @Test
    void everyConfigOptionIsOnTheCommandLineAndFlagsAreNegatable() {
        CommandLine serve = Main.commandLine().getSubcommands().get("serve");
        for (ConfigOption o : ConfigOption.values()) {
            OptionSpec spec = serve.getCommandSpec().findOption(o.longOption());
            assertNotNull(spec, "serve lacks " + o.longOption());
            assertEquals(o.isFlag(), isBoolean(spec), o.longOption() + ": a flag in the file is a flag here");
            assertEquals(o.isFlag(), spec.negatable(), o.longOption() + " has a --no- form exactly when it is a flag");
        }
    }

    @Test
    void everyOnOffOptionOfEveryCommandHasANoForm() {
        for (CommandLine command : Main.commandLine().getSubcommands().values()) {
            for (OptionSpec o : command.getCommandSpec().options()) {
                if (isBoolean(o) && !o.usageHelp() && !o.versionHelp()) {
                    assertTrue(o.negatable(), command.getCommandName() + " " + o.longestName() + " has no --no- form");
                }
            }
        }
        assertTrue(rtmfpd("probe", "rtmfp://127.0.0.1/KEY", "--hmac-sseq", "true").err()
                .startsWith("'--hmac-sseq true': --hmac-sseq takes no value; write --hmac-sseq to turn it on or"
                        + " --no-hmac-sseq to turn it off"));
    }

    private static boolean isBoolean(OptionSpec o) {
        return o.type() == boolean.class || o.type() == Boolean.class;
    }
}
