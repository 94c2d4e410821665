package org.rtmfpd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    private static ServerConfig parse(String... lines) throws ConfigException {
        return ConfigFile.parse("rtmfpd.conf", String.join("\n", lines), ServerConfig.builder()).build();
    }

    private static String problem(String... lines) {
        return assertThrows(ConfigException.class, () -> parse(lines)).getMessage();
    }

    static InetSocketAddress at(String spec) {
        return ListenAddress.parse(spec, 1935);
    }

    @Test
    void everyOption() throws Exception {
        ServerConfig c = parse(
                "# comment",
                "",
                "listen = 0.0.0.0:1935",
                "listen=[::]:1935   # IPv6 too",
                "developer-keys = /etc/rtmfpd/developer-keys.conf",
                "peer-cap = 8",
                "dh-groups = 16, 14, 2",
                "server-keepalive-ms = 20000",
                "peer-keepalive-ms = 6000",
                "dh-queue-limit = 32",
                "metrics-listen = 127.0.0.1:9935",
                "log-config = /etc/rtmfpd/logback.xml",
                "open-introductions = true");
        assertEquals(List.of(at("0.0.0.0:1935"), at("[::]:1935")), c.listen());
        assertEquals(Path.of("/etc/rtmfpd/developer-keys.conf"), c.developerKeys());
        assertEquals(8, c.peerCap());
        assertEquals(List.of(16, 14, 2), c.dhGroups());
        assertEquals(20_000, c.serverKeepaliveMs());
        assertEquals(6_000, c.peerKeepaliveMs());
        assertEquals(32, c.dhQueueLimit());
        assertEquals(Optional.of(at("127.0.0.1:9935")), c.metricsListen());
        assertEquals(Optional.of(Path.of("/etc/rtmfpd/logback.xml")), c.logConfig());
        assertTrue(c.openIntroductions());
    }

    @Test
    void flagsTakeTrueOrFalse() throws Exception {
        assertTrue(parse("open-introductions = true").openIntroductions());
        assertFalse(parse("open-introductions=false").openIntroductions());
        assertFalse(parse("# open-introductions = true").openIntroductions(), "off by default");
    }

    @Test
    void badFlagValueNamesFileLineOptionAndValues() {
        assertEquals("rtmfpd.conf:2: open-introductions must be true or false, got 'yes'",
                problem("peer-cap = 8", "open-introductions = yes"));
        assertEquals("rtmfpd.conf:1: open-introductions must be true or false, got 'True'",
                problem("open-introductions = True"));
        assertEquals("rtmfpd.conf:1: open-introductions has no value; expected true|false",
                problem("open-introductions ="));
        assertEquals("rtmfpd.conf:1: expected 'open-introductions = true|false'", problem("open-introductions"));
    }

    @Test
    void commandLineFlagFormsInTheFileAreShownTheFileForm() {
        assertEquals("rtmfpd.conf:1: 'no-open-introductions' is the command-line form; in the file write"
                + " 'open-introductions = false'", problem("no-open-introductions"));
        assertEquals("rtmfpd.conf:1: '--no-open-introductions' is the command-line form; in the file write"
                + " 'open-introductions = false'", problem("--no-open-introductions"));
        assertEquals("rtmfpd.conf:1: '--open-introductions' is the command-line form; in the file write"
                + " 'open-introductions = true'", problem("--open-introductions   # on"));
        assertEquals("rtmfpd.conf:1: 'no-open-introductions' is the command-line form; in the file write"
                + " 'open-introductions = true' or 'open-introductions = false'", problem("no-open-introductions = true"));
        assertTrue(problem("no-peer-cap = 5").startsWith("rtmfpd.conf:1: unknown option 'no-peer-cap'"),
                "only flags have a no- form");
    }

    @Test
    void emptyFileGivesTheDefaults() throws Exception {
        assertEquals(ServerConfig.defaults(), parse("# nothing", "   ", ""));
    }

    @Test
    void unknownOptionListsTheValidNamesAndGuesses() {
        assertEquals("rtmfpd.conf:2: unknown option 'peer_cap' (did you mean peer-cap?); the options are listen,"
                + " developer-keys, peer-cap, dh-groups, server-keepalive-ms, peer-keepalive-ms, dh-queue-limit,"
                + " metrics-listen, log-config, log-format, open-introductions, max-sessions, max-sessions-per-source,"
                + " max-handshakes-per-source, iikeyings-per-second-per-source, connect-timeout-ms, registry-listen,"
                + " registry-open, registry-expiry-ms, registry-allow-domains, registry-max-connections, stun,"
                + " stun-alternate, cluster-redis, cluster-redis-password-file, cluster-redis-ca-file, cluster-namespace, node-id,"
                + " advertise, cluster-node-lifetime-ms, cluster-redis-timeout-ms, drain-timeout-ms",
                problem("# x", "peer_cap = 5"));
        assertTrue(problem("--peer-cap = 5").contains("did you mean peer-cap?"));
        String p = problem("colour = blue");
        assertTrue(p.startsWith("rtmfpd.conf:1: unknown option 'colour'; the options are listen,"), p);
    }

    @Test
    void badValuesNameFileLineAndTheRule() {
        assertEquals("rtmfpd.conf:1: peer-cap must be a whole number from 1 to 10000, got 'abc'",
                problem("peer-cap = abc"));
        assertEquals("rtmfpd.conf:1: server-keepalive-ms must be a whole number from 5000 to 3600000, got '1000'",
                problem("server-keepalive-ms = 1000"));
        assertTrue(problem("dh-groups = 2,15").contains("dh-groups: group 15 is not supported"));
        assertTrue(problem("dh-groups = two").contains("expected group numbers separated by commas"));
        assertTrue(problem("listen = example.org:1935").startsWith("rtmfpd.conf:1: listen: bad address"));
        assertTrue(problem("metrics-listen = 127.0.0.1").contains("a port is needed"));
        assertEquals("rtmfpd.conf:1: peer-cap has no value; expected N", problem("peer-cap ="));
        assertTrue(problem("dh-queue-limit = 0").contains("from 1 to 10000"));
    }

    @Test
    void missingEqualsSign() {
        assertEquals("rtmfpd.conf:1: expected 'peer-cap = N'", problem("peer-cap 5"));
        assertTrue(problem("hello").startsWith("rtmfpd.conf:1: expected 'name = value', got 'hello'"));
        assertTrue(problem("= 5").contains("option name is missing"));
    }

    @Test
    void configCannotNameItself() {
        assertEquals("rtmfpd.conf:1: config can only be given on the command line (--config FILE)",
                problem("config = other.conf"));
    }

    @Test
    void optionsOtherThanListenMayAppearOnce() {
        assertEquals("rtmfpd.conf:3: peer-cap is already set on line 1; keep one of the two lines",
                problem("peer-cap = 5", "listen = :1935", "peer-cap = 6"));
        assertTrue(problem("listen = :1935", "listen = 0.0.0.0:1935").contains("0.0.0.0:1935 is already listed"));
    }

    @Test
    void everyBadLineIsReported() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("peer-cap = x", "listen = :1935", "bogus = 1", "dh-groups = 3"));
        assertEquals(3, e.problems().size());
        assertTrue(e.problems().get(1).startsWith("rtmfpd.conf:3:"));
    }

    @Test
    void commandLineOverridesTheFile() throws Exception {
        ServerConfig.Builder b = ServerConfig.builder();
        ConfigFile.parse("rtmfpd.conf", "peer-cap = 8\nlisten = :1935\nlisten = [::]:1935\ndh-queue-limit = 4\n", b);
        // What the command line does with: --peer-cap 12 --listen 127.0.0.1:2000
        ConfigOption.PEER_CAP.apply(b, "12");
        ConfigOption.LISTEN.apply(b, "127.0.0.1:2000");
        ServerConfig c = b.build();
        assertEquals(12, c.peerCap());
        assertEquals(List.of(at("127.0.0.1:2000")), c.listen(), "--listen replaces the file's listen lines");
        assertEquals(4, c.dhQueueLimit(), "what the command line leaves alone comes from the file");
    }

    @Test
    void fileListenLinesStayWhenTheCommandLineHasNone() throws Exception {
        ServerConfig.Builder b = ServerConfig.builder();
        ConfigFile.parse("rtmfpd.conf", "listen = :1935\nlisten = [::]:1935\n", b);
        ConfigOption.PEER_CAP.apply(b, "12");
        assertEquals(List.of(at("0.0.0.0:1935"), at("[::]:1935")), b.build().listen());
    }

    @Test
    void readFromDisk(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rtmfpd.conf");
        Files.writeString(f, "\uFEFFpeer-cap = 9\r\nlisten = 127.0.0.1:1\r\n");
        ServerConfig c = ConfigFile.read(f, ServerConfig.builder()).build();
        assertEquals(9, c.peerCap());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigFile.read(dir.resolve("missing.conf"), ServerConfig.builder()));
        assertTrue(e.getMessage().contains("missing.conf: no such file"), e.getMessage());
        assertFalse(ConfigFile.readIfPresent(dir.resolve("missing.conf"), ServerConfig.builder()));
        assertTrue(ConfigFile.readIfPresent(f, ServerConfig.builder()));
        Files.write(f, new byte[] {'p', (byte) 0xff, '\n'});
        assertTrue(assertThrows(ConfigException.class, () -> ConfigFile.read(f, ServerConfig.builder()))
                .getMessage().contains("not UTF-8"));
    }

    @Test
    void errorMessagesNameThePathAsGiven(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rtmfpd.conf");
        Files.writeString(f, "\n\npeer-cap = many\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.read(f, ServerConfig.builder()));
        assertEquals(f + ":3: peer-cap must be a whole number from 1 to 10000, got 'many'", e.getMessage());
    }

    @Test
    void badFlagValueOnDiskNamesThePath(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rtmfpd.conf");
        Files.writeString(f, "# settings\nopen-introductions = on\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.read(f, ServerConfig.builder()));
        assertEquals(f + ":2: open-introductions must be true or false, got 'on'", e.getMessage());
    }

    // ---- the shipped file and the docs stay in step with the options ---------------------------

    private static final Pattern COMMENTED_SETTING = Pattern.compile("^# ([a-z-]+) = (.*)$");

    @Test
    void shippedFileIsValidAndAllDefaults() throws Exception {
        assertEquals(ServerConfig.defaults(),
                ConfigFile.read(ConfigFile.DEFAULT_PATH, ServerConfig.builder()).build());
    }

    @Test
    void shippedFileShowsEveryOptionWithItsDefault() throws Exception {
        List<String> lines = Files.readAllLines(ConfigFile.DEFAULT_PATH);
        StringBuilder uncommented = new StringBuilder();
        for (ConfigOption o : ConfigOption.values()) {
            String line = lines.stream().filter(l -> COMMENTED_SETTING.matcher(l).matches()
                    && l.startsWith("# " + o.optionName() + " = ")).findFirst()
                    .orElseThrow(() -> new AssertionError("rtmfpd.conf does not show " + o.optionName()));
            Matcher m = COMMENTED_SETTING.matcher(line);
            assertTrue(m.matches());
            if (!o.defaultText().equals("none")) {
                assertEquals(o.defaultText(), m.group(2), o.optionName() + " shows a value other than its default");
                uncommented.append(o.optionName()).append(" = ").append(m.group(2)).append('\n');
            }
        }
        assertEquals(ServerConfig.defaults(),
                ConfigFile.parse("rtmfpd.conf", uncommented.toString(), ServerConfig.builder()).build(),
                "the defaults shown in rtmfpd.conf are the real defaults");
    }

    @Test
    void configurationDocDescribesEveryOption() throws Exception {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        for (ConfigOption o : ConfigOption.values()) {
            assertTrue(doc.contains("`" + o.optionName() + "`"), "docs/configuration.md lacks " + o.optionName());
            assertTrue(doc.contains("`" + o.longOption() + "`"), "docs/configuration.md lacks " + o.longOption());
            if (o.isFlag()) {
                assertTrue(doc.contains("`" + o.negatedLongOption() + "`"),
                        "docs/configuration.md lacks " + o.negatedLongOption());
            }
        }
    }
}
