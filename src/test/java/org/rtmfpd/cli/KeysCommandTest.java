package org.rtmfpd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.rendezvous.DeveloperKey;
import org.rtmfpd.rendezvous.DeveloperKeys;
import org.rtmfpd.rendezvous.DeveloperKeysFile;
import picocli.CommandLine;

class KeysCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run rtmfpd(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void newKeysHaveTheCirrusFormatAndDiffer() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String k = DeveloperKeysFile.newKey(random);
            assertTrue(DeveloperKeysFile.CIRRUS_FORMAT.matcher(k).matches(), k);
            assertEquals(37, k.length());
            assertTrue(seen.add(k));
        }
    }

    @Test
    void keysNewAppendsWithoutDisturbingTheFileAndPrintsTheUrl() throws Exception {
        Path file = dir.resolve("keys.conf");
        String before = "# operators' notes\r\nold-key   peer-cap=3   # kept as written\r\n\r\n# end";
        Files.writeString(file, before);
        Run r = rtmfpd("keys", "new", "--file", file.toString(), "--label", "My app (prod)", "--peer-cap", "8",
                "--max-sessions", "100", "--host", "rtmfp.example.com");
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        String key = lines[0];
        assertTrue(DeveloperKeysFile.CIRRUS_FORMAT.matcher(key).matches(), key);
        assertEquals("rtmfp://rtmfp.example.com/" + key, lines[1]);
        assertEquals(before + "\r\n" + key + " label=\"My app (prod)\" peer-cap=8 max-sessions=100\r\n",
                Files.readString(file), "old bytes kept, line endings followed");
        DeveloperKeys keys = DeveloperKeys.load(file);
        assertEquals(new DeveloperKey(key, "My app (prod)", OptionalInt.of(8), OptionalInt.of(100)),
                keys.find(key).orElseThrow());
        assertEquals(List.of(file.getFileName().toString()), fileNames(), "no temporary file left behind");
    }

    private List<String> fileNames() throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void keysNewCreatesAMissingFileAndRefusesABadOneOrBadSettings() throws Exception {
        Path file = dir.resolve("new.conf");
        assertEquals(0, rtmfpd("keys", "new", "--file", file.toString(), "--host", "h").exit());
        assertEquals(1, DeveloperKeys.load(file).size());

        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "good-key\nother peer-cap=abc\n");
        Run r = rtmfpd("keys", "new", "--file", bad.toString(), "--host", "h");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("nothing added"), r.err());
        assertTrue(r.err().contains(":2: peer-cap must be a whole number"), r.err());
        assertEquals("good-key\nother peer-cap=abc\n", Files.readString(bad));

        assertEquals(1, rtmfpd("keys", "new", "--file", file.toString(), "--label", "say \"hi\"").exit());
        assertEquals(2, rtmfpd("keys", "new", "--file", file.toString(), "--peer-cap", "0").exit());
        assertEquals(1, DeveloperKeys.load(file).size(), "nothing added by the refused ones");
    }

    @Test
    void keysCheckReportsEachProblemWithItsLine() throws Exception {
        Path file = dir.resolve("keys.conf");
        Files.writeString(file, "# c\nk1 peer-cap=0\nk2 colour=blue\nk3\n");
        Run r = rtmfpd("keys", "check", file.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(file + ":2: peer-cap"), r.err());
        assertTrue(r.err().contains(file + ":3: unknown setting 'colour'"), r.err());
        assertFalse(r.err().contains(":4:"), r.err());

        Files.writeString(file, "k1\nk2 label=x\n");
        Run ok = rtmfpd("keys", "check", file.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertEquals(file + ": 2 keys, no problems\n", ok.out());
        assertEquals(1, rtmfpd("keys", "check", dir.resolve("missing.conf").toString()).exit());
    }

    @Test
    void keysListMasksKeys() throws Exception {
        Path file = dir.resolve("keys.conf");
        Files.write(file, ("0123456789abcdef01234567-89abcdef0123 label=\"chat eu\" peer-cap=8\nshort max-sessions=5\n")
                .getBytes(StandardCharsets.UTF_8));
        Run r = rtmfpd("keys", "list", "--file", file.toString());
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.out().contains("0123456789abcdef"), r.out());
        assertFalse(r.out().contains("short"), r.out());
        String[] lines = r.out().split("\n");
        assertEquals(4, lines.length, r.out());
        assertEquals(file + ": 2 keys", lines[0], "says which file it read");
        assertTrue(lines[2].startsWith("0123…"), lines[2]);
        assertTrue(lines[2].contains(DeveloperKey.logNameOf("0123456789abcdef01234567-89abcdef0123")), lines[2]);
        assertTrue(lines[2].endsWith("8        -            chat eu"), "a labelled key is logged by its label: " + lines[2]);
        assertTrue(lines[3].startsWith("…"), lines[3]);
        assertTrue(lines[3].endsWith("-        5            " + DeveloperKey.logNameOf("short")),
                "an unlabelled key is logged by its hash: " + lines[3]);
    }

    /**
     * The package's keys file is {@code root:rtmfpd 0640}: the service reads it through its group. A
     * rewrite that loses the group locks the server out of its keys, so the test gives the file a group
     * other than the writer's own (root's, when run as root) and checks that owner, group and mode stay.
     */
    @Test
    void keysNewKeepsOwnerGroupAndModeOfTheFile() throws Exception {
        Path file = dir.resolve("keys.conf");
        Files.writeString(file, "# keys\n");
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        GroupPrincipal other = otherGroup(view.readAttributes().group());
        Assumptions.assumeTrue(other != null, "no group to give the file other than its own");
        view.setGroup(other);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        PosixFileAttributes before = view.readAttributes();

        Run r = rtmfpd("keys", "new", "--file", file.toString(), "--label", "second");
        assertEquals(0, r.exit(), r.err());
        PosixFileAttributes after = Files.readAttributes(file, PosixFileAttributes.class);
        assertEquals(before.owner(), after.owner(), "owner kept");
        assertEquals(other, after.group(), "group kept");
        assertEquals(PosixFilePermissions.fromString("rw-r-----"), after.permissions(), "mode kept");
        assertTrue(Files.readString(file).contains("label=\"second\""));
    }

    /** A group that can own a file of this process's (any, as root; another of the user's own otherwise), or null. */
    private GroupPrincipal otherGroup(GroupPrincipal own) throws Exception {
        var lookup = dir.getFileSystem().getUserPrincipalLookupService();
        for (String name : List.of("nogroup", "nobody", "daemon", "users", "bin", "sys", "adm")) {
            try {
                GroupPrincipal g = lookup.lookupPrincipalByGroupName(name);
                if (!g.equals(own)) {
                    Path probe = Files.createTempFile(dir, "group", ".probe");
                    try {
                        Files.getFileAttributeView(probe, PosixFileAttributeView.class).setGroup(g);
                        return g;
                    } catch (java.nio.file.FileSystemException e) {
                        // not ours to give
                    } finally {
                        Files.delete(probe);
                    }
                }
            } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
                // try the next
            }
        }
        return null;
    }

    @Test
    void keysNewIntoAMissingFolderSaysSo() {
        Path file = dir.resolve("no-such-folder").resolve("keys.conf");
        Run r = rtmfpd("keys", "new", "--file", file.toString());
        assertEquals(1, r.exit());
        assertEquals("rtmfpd keys new: nothing added: cannot write " + file + ": the folder " + file.getParent()
                + " does not exist; create it first, or name another --file\n", r.err());
    }
}
