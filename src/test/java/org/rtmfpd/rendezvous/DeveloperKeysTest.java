package org.rtmfpd.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeveloperKeysTest {

    private static DeveloperKeys parse(String... lines) throws DeveloperKeysException {
        return DeveloperKeys.parse("developer-keys.conf", String.join("\n", lines));
    }

    private static String problem(String... lines) {
        DeveloperKeysException e = assertThrows(DeveloperKeysException.class, () -> parse(lines));
        return e.getMessage();
    }

    @Test
    void keysCommentsAndBlankLines() throws Exception {
        DeveloperKeys keys = parse(
                "# developer keys",
                "",
                "   ",
                "alpha",
                "  beta   # the beta app",
                "gamma#no space needed before a comment",
                "\t# indented comment");
        assertEquals(List.of("alpha", "beta", "gamma"), keys.keys().stream().map(DeveloperKey::key).toList());
        assertTrue(keys.contains("beta"));
        assertFalse(keys.contains("Beta"), "keys are case-sensitive");
        assertFalse(keys.contains("the"));
        assertEquals(DeveloperKey.of("alpha"), keys.find("alpha").orElseThrow());
    }

    @Test
    void perKeySettings() throws Exception {
        DeveloperKeys keys = parse(
                "k1 peer-cap=50 max-sessions=1000 label=chat",
                "k2 label=\"Video # chat, EU\" peer-cap=8   # quoted label",
                "k3 max-sessions=2");
        DeveloperKey k1 = keys.find("k1").orElseThrow();
        assertEquals(new DeveloperKey("k1", "chat", OptionalInt.of(50), OptionalInt.of(1000)), k1);
        DeveloperKey k2 = keys.find("k2").orElseThrow();
        assertEquals("Video # chat, EU", k2.label());
        assertEquals(8, k2.peerCapOr(5));
        assertEquals(OptionalInt.empty(), k2.maxSessions());
        DeveloperKey k3 = keys.find("k3").orElseThrow();
        assertEquals(5, k3.peerCapOr(5));
        assertEquals(2, k3.maxSessionsOrUnlimited());
        assertEquals("chat", k1.logName());
    }

    @Test
    void logsNameAKeyByItsLabelOrAShortHashNeverByTheKey() throws Exception {
        DeveloperKeys keys = parse("my-secret-key", "other label=chat");
        DeveloperKey unlabelled = keys.find("my-secret-key").orElseThrow();
        // printf %s my-secret-key | sha256sum | cut -c1-8
        assertEquals("key#1311f8fc", unlabelled.logName());
        assertFalse(unlabelled.logName().contains("my-secret-key"));
        assertEquals(unlabelled.logName(), DeveloperKey.logNameOf("my-secret-key"));
        assertEquals("chat", keys.find("other").orElseThrow().logName());
        assertFalse(unlabelled.toString().contains("my-secret-key"));
    }

    @Test
    void aKeysLogNameIsTheSameWhenAskedAgain() {
        // printf %s again-key | sha256sum | cut -c1-8; a known key asked twice: the second answer is the kept one
        String first = DeveloperKey.of("again-key").logName();
        assertEquals("key#3c3b5c69", first);
        assertEquals(first, DeveloperKey.of("again-key").logName());
        assertEquals(first, DeveloperKey.logNameOf("again-key"));
        assertFalse(first.equals(DeveloperKey.logNameOf("again-key2")));
    }

    @Test
    void windowsLineEndingsAndByteOrderMark() throws Exception {
        DeveloperKeys keys = DeveloperKeys.parse("f", "\uFEFFone peer-cap=3\r\ntwo\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(3, keys.find("one").orElseThrow().peerCap().getAsInt());
        assertTrue(keys.contains("two"));
        assertEquals(2, keys.size());
    }

    @Test
    void emptyFileIsValidAndEmpty() throws Exception {
        assertTrue(parse("# nothing yet", "").isEmpty());
    }

    @Test
    void badPeerCapNamesFileLineAndFix() {
        assertEquals("developer-keys.conf:3: peer-cap must be a whole number from 1 to 10000, got 'abc'",
                problem("# header", "ok", "app peer-cap=abc"));
        assertTrue(problem("app peer-cap=0").contains("got '0'"));
        assertTrue(problem("app peer-cap=-1").contains("got '-1'"));
        assertTrue(problem("app peer-cap=10001").contains("from 1 to 10000"));
        assertTrue(problem("app peer-cap=99999999999").contains("got '99999999999'"));
        assertTrue(problem("app max-sessions=1.5").startsWith(
                "developer-keys.conf:1: max-sessions must be a positive whole number, got '1.5'"));
    }

    @Test
    void unknownSettingListsTheValidOnes() {
        assertEquals("developer-keys.conf:1: unknown setting 'peercap'; the settings are peer-cap=,"
                + " max-sessions=, label=", problem("app peercap=5"));
    }

    @Test
    void spacesAroundEqualsAreExplained() {
        assertTrue(problem("app peer-cap = 5").contains("no spaces around '='"), problem("app peer-cap = 5"));
        assertTrue(problem("app peer-cap= 5").contains("peer-cap has no value"));
    }

    @Test
    void secondWordThatIsNotASetting() {
        String p = problem("my app");
        assertTrue(p.startsWith("developer-keys.conf:1: expected a setting name=value after the key, got 'app'"), p);
    }

    @Test
    void settingWithoutKey() {
        assertTrue(problem("peer-cap=5 app").contains("put the key first"));
    }

    @Test
    void keyCharacters() {
        assertTrue(problem("a/b").contains("may not contain '/'"));
        assertTrue(problem("a=b").contains("may not contain '='"));
        assertTrue(problem("a\"b").contains("may not contain '\"'"));
        assertTrue(problem("caf\u00e9").contains("printable ASCII"));
        assertTrue(problem("a\u0001b").contains("printable ASCII"));
        assertTrue(problem("x".repeat(257)).contains("limit is 256"));
    }

    @Test
    void duplicateKeyNamesTheFirstLineButNotTheKey() {
        assertEquals("developer-keys.conf:4: this key (" + DeveloperKey.logNameOf("app-secret")
                        + ") is already defined on line 2; remove one of the two lines",
                problem("# keys", "app-secret", "other", "app-secret peer-cap=3"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeveloperKeys.of(List.of(DeveloperKey.of("app-secret"), DeveloperKey.of("app-secret"))));
        assertFalse(e.getMessage().contains("app-secret"), e.getMessage());
    }

    @Test
    void aBadKeyIsNotQuotedInTheProblem() {
        for (String key : List.of("secret/part", "secret\u00e9part", "s".repeat(300))) {
            String p = problem("good", key + " peer-cap=3");
            assertTrue(p.startsWith("developer-keys.conf:2: "), p);
            assertFalse(p.contains(key), p);
        }
    }

    @Test
    void duplicateSettingOnOneLine() {
        assertTrue(problem("app peer-cap=3 peer-cap=4").contains("peer-cap is given twice"));
        assertTrue(problem("app label=a label=b").contains("label is given twice"));
    }

    @Test
    void labelRules() {
        assertTrue(problem("app label=\"unclosed").contains("closing '\"' is missing"));
        assertTrue(problem("app label=\"\"").contains("label is empty"));
        assertTrue(problem("app label=\"a\"b").contains("space after the closing"));
        assertTrue(problem("app label=a\"b\"").contains("quote the whole value"));
        assertTrue(problem("app label=\"" + "x".repeat(201) + "\"").contains("limit is 200"));
        assertTrue(problem("app label=\"a\tb\"").contains("control character"));
    }

    @Test
    void everyBadLineIsReported() {
        DeveloperKeysException e = assertThrows(DeveloperKeysException.class,
                () -> parse("a peer-cap=x", "ok", "b/c", "d bogus=1"));
        assertEquals(3, e.problems().size());
        assertTrue(e.problems().get(0).startsWith("developer-keys.conf:1:"));
        assertTrue(e.problems().get(1).startsWith("developer-keys.conf:3:"));
        assertTrue(e.problems().get(2).startsWith("developer-keys.conf:4:"));
    }

    @Test
    void problemsAreCappedForHugeBadFiles() {
        String[] lines = new String[500];
        java.util.Arrays.fill(lines, "a/b");
        DeveloperKeysException e = assertThrows(DeveloperKeysException.class, () -> parse(lines));
        assertEquals(21, e.problems().size());
        assertTrue(e.problems().get(20).contains("stopped after 20 problems"));
    }

    @Test
    void invalidUtf8NamesTheLine() {
        byte[] bytes = "one\ntwo\nthr\u00e9e\n".getBytes(StandardCharsets.ISO_8859_1);
        DeveloperKeysException e = assertThrows(DeveloperKeysException.class, () -> DeveloperKeys.parse("k.conf", bytes));
        assertTrue(e.getMessage().startsWith("k.conf:3: this line is not valid UTF-8"), e.getMessage());
    }

    @Test
    void loadNamesAMissingFileAndSaysWhatToDo(@TempDir Path dir) {
        Path file = dir.resolve("developer-keys.conf");
        DeveloperKeysException e = assertThrows(DeveloperKeysException.class, () -> DeveloperKeys.load(file));
        assertTrue(e.getMessage().startsWith(file + ": no such file; create it"), e.getMessage());
    }

    @Test
    void loadReadsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.conf");
        Files.writeString(file, "k peer-cap=50\n");
        assertEquals(50, DeveloperKeys.load(file).find("k").orElseThrow().peerCapOr(5));
    }

    @Test
    void shippedSampleFileParses() throws Exception {
        DeveloperKeys keys = DeveloperKeys.load(Path.of("config/developer-keys.conf"));
        assertEquals(1, keys.size());
        assertTrue(keys.contains("rtmfpd-sample-key-change-me"));
    }

    @Test
    void recordValidatesDirectConstruction() {
        assertThrows(IllegalArgumentException.class, () -> DeveloperKey.of("a b"));
        assertThrows(IllegalArgumentException.class,
                () -> new DeveloperKey("k", "", OptionalInt.of(0), OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> new DeveloperKey("k", "", OptionalInt.empty(), OptionalInt.of(0)));
        assertThrows(IllegalArgumentException.class,
                () -> DeveloperKeys.of(List.of(DeveloperKey.of("k"), DeveloperKey.of("k"))));
    }

    @Test
    void toStringDoesNotPrintTheKey() throws Exception {
        DeveloperKey k = parse("secret-key-123 label=app").find("secret-key-123").orElseThrow();
        assertFalse(k.toString().contains("secret-key-123"), k.toString());
    }
}
