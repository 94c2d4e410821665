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
import java.util.Map;
import org.rtmfpd.config.ConfigDirectory;
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

    /** What {@code serve} without {@code --config} reads, with the launcher's folder {@code dir}. */
    private ServeCommand serveWithout(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve;
    }

    @Test
    void withoutConfigTheFolderOfTheLauncherGivesBothFilesAndTheLogSaysWhich() throws Exception {
        Path etc = Files.createDirectory(dir.resolve("etc"));
        ConfigDirectory installed = ConfigDirectory.of(Map.of(ConfigDirectory.VARIABLE, etc.toString()));
        ServeCommand none = serveWithout();
        assertEquals(etc.resolve("developer-keys.conf"), none.settings(installed).developerKeys());
        assertEquals("no configuration file (" + etc.resolve("rtmfpd.conf") + " does not exist): defaults and the"
                + " command line", none.configSource);

        Files.writeString(etc.resolve("rtmfpd.conf"), "peer-cap = 9\n");
        ServeCommand found = serveWithout();
        ServerConfig config = found.settings(installed);
        assertEquals(9, config.peerCap(), "the folder's rtmfpd.conf is read");
        assertEquals(etc.resolve("developer-keys.conf"), config.developerKeys());
        assertEquals("configuration from " + etc.resolve("rtmfpd.conf"), found.configSource);

        ServeCommand named = serveWithout("--config", etc.resolve("rtmfpd.conf").toString(), "--developer-keys", "k.conf");
        assertEquals(Path.of("k.conf"), named.settings(installed).developerKeys(), "relative to the working directory");
    }

    @Test
    void theConfigurationFolderIsTheLaunchersOrConfigInTheWorkingDirectory() {
        assertEquals(new ConfigDirectory(Path.of("/etc/rtmfpd"), true),
                ConfigDirectory.of(Map.of(ConfigDirectory.VARIABLE, "/etc/rtmfpd")));
        assertEquals(Path.of("/etc/rtmfpd/developer-keys.conf"),
                ConfigDirectory.of(Map.of(ConfigDirectory.VARIABLE, "/etc/rtmfpd")).developerKeys());
        assertEquals(Path.of("config/rtmfpd.conf"), ConfigDirectory.of(Map.of()).configFile());
        assertEquals(Path.of("config"), ConfigDirectory.of(Map.of(ConfigDirectory.VARIABLE, " ")).path(), "blank is unset");
    }

    /** Both launchers name the folder, and neither changes the working directory (relative paths stay the user's). */
    @Test
    void theLaunchersNameTheFolderAndKeepTheWorkingDirectory() throws Exception {
        String source = Files.readString(Path.of("scripts/rtmfpd"));
        assertTrue(source.contains("export RTMFPD_CONFIG_DIR=\"${RTMFPD_CONFIG_DIR:-$here/config}\""), source);
        String installed = Files.readString(Path.of("src/deb/files/rtmfpd"));
        assertTrue(installed.contains("export RTMFPD_CONFIG_DIR=\"${RTMFPD_CONFIG_DIR:-/etc/rtmfpd}\""), installed);
        for (String script : List.of(source, installed)) {
            assertFalse(script.lines().anyMatch(l -> l.strip().startsWith("cd ")), "no cd before java:\n" + script);
        }
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
        assertTrue(run.err().startsWith("rtmfpd serve: '--open-introductions true': --open-introductions takes no value;"
                + " write --open-introductions to turn it on or --no-open-introductions to turn it off"
                + " (--open-introductions=true and --open-introductions=false work too)"), run.err());
        assertTrue(rtmfpd("serve", "--no-open-introductions", "False").err()
                .startsWith("rtmfpd serve: '--no-open-introductions False': --open-introductions takes no value;"));
        Run other = rtmfpd("serve", "--peer-cap", "8", "extra");
        assertEquals(2, other.exit());
        assertEquals("rtmfpd serve: Unmatched argument at index 3: 'extra'\n'rtmfpd serve --help' lists the options.\n",
                other.err());
    }

    @Test
    void aMistakeIsOneLineAndAPointerToHelpNotTheWholeUsage() {
        Run typo = rtmfpd("serve", "--peer-kap=8");
        assertEquals(2, typo.exit());
        assertTrue(typo.err().startsWith("rtmfpd serve: Unknown option: '--peer-kap=8'\n"), typo.err());
        assertTrue(typo.err().contains("--peer-cap"), "picocli's suggestion stays: " + typo.err());
        assertTrue(typo.err().lines().count() <= 4, typo.err());
        assertTrue(typo.err().endsWith("'rtmfpd serve --help' lists the options.\n"), typo.err());
        Run keys = rtmfpd("keys", "new", "--peer-cap", "lots");
        assertTrue(keys.err().startsWith("rtmfpd keys new: Invalid value for option '--peer-cap'"), keys.err());
        assertEquals(2, keys.err().lines().count(), keys.err());
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
                .startsWith("rtmfpd probe: '--hmac-sseq true': --hmac-sseq takes no value; write --hmac-sseq to turn it on or"
                        + " --no-hmac-sseq to turn it off"));
    }

    private static boolean isBoolean(OptionSpec o) {
        return o.type() == boolean.class || o.type() == Boolean.class;
    }
}
