package org.rtmfpd.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.rendezvous.DeveloperKeyStore.Outcome;

class DeveloperKeyStoreTest {
    private static final Instant EDITED = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path dir;
    Path file;
    final AtomicReference<Instant> now = new AtomicReference<>(EDITED.plusSeconds(60));
    final InstantSource clock = now::get;

    @BeforeEach
    void setUp() {
        file = dir.resolve("developer-keys.conf");
    }

    /** Writes the file and gives it a modification time, so the test decides what the stamp says. */
    private void write(String text, Instant modified) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    private DeveloperKeyStore loaded(String text) throws Exception {
        write(text, EDITED);
        return DeveloperKeyStore.load(file, clock);
    }

    @Test
    void loadFailsFastOnAMissingOrBrokenFile() throws Exception {
        assertThrows(DeveloperKeysException.class, () -> DeveloperKeyStore.load(file, clock));
        write("a peer-cap=x\n", EDITED);
        DeveloperKeysException e = assertThrows(DeveloperKeysException.class, () -> DeveloperKeyStore.load(file, clock));
        assertTrue(e.getMessage().startsWith(file + ":1: peer-cap"), e.getMessage());
    }

    @Test
    void unchangedFileIsNotReparsed() throws Exception {
        DeveloperKeyStore store = loaded("a\n");
        DeveloperKeys before = store.current();
        assertEquals(Outcome.UNCHANGED, store.reloadIfChanged().outcome());
        assertEquals(Outcome.UNCHANGED, store.reloadIfChanged().outcome());
        assertSame(before, store.current());
        assertEquals(0, store.reloadCount());
    }

    @Test
    void changedFileIsSwappedIn() throws Exception {
        DeveloperKeyStore store = loaded("a\n");
        write("a\nb peer-cap=50\n", EDITED.plusSeconds(10));
        DeveloperKeyStore.Reload r = store.reloadIfChanged();
        assertEquals(Outcome.RELOADED, r.outcome());
        assertEquals(2, r.keys().size());
        assertEquals(50, store.find("b").orElseThrow().peerCapOr(5));
        assertEquals(1, store.reloadCount());
        assertEquals(Outcome.UNCHANGED, store.reloadIfChanged().outcome());
    }

    @Test
    void revokedKeyDisappears() throws Exception {
        DeveloperKeyStore store = loaded("a\nb\n");
        write("a\n", EDITED.plusSeconds(10));
        assertEquals(Outcome.RELOADED, store.reloadIfChanged().outcome());
        assertFalse(store.find("b").isPresent());
    }

    @Test
    void invalidFileKeepsTheOldKeysAndIsReportedOnce() throws Exception {
        DeveloperKeyStore store = loaded("a\n");
        write("a\nb peer-cap=lots\n", EDITED.plusSeconds(10));
        DeveloperKeyStore.Reload r = store.reloadIfChanged();
        assertEquals(Outcome.REJECTED, r.outcome());
        assertTrue(r.problem().orElseThrow().contains(":2: peer-cap must be"), r.problem().orElseThrow());
        assertTrue(store.find("a").isPresent());
        assertFalse(store.find("b").isPresent());
        assertEquals(1, store.rejectionCount());
        // The same broken file on the next ticks: nothing new to say.
        assertEquals(Outcome.UNCHANGED, store.reloadIfChanged().outcome());
        assertEquals(1, store.rejectionCount());
        // Fixed: swapped in.
        write("a\nb peer-cap=9\n", EDITED.plusSeconds(20));
        assertEquals(Outcome.RELOADED, store.reloadIfChanged().outcome());
        assertEquals(9, store.find("b").orElseThrow().peerCapOr(5));
    }

    @Test
    void reloadLinesCountKeysInEnglish() throws Exception {
        DeveloperKeyStore store = loaded("a\n");
        write("a\nb\n", EDITED.plusSeconds(10));
        try (org.rtmfpd.log.LogCapture log = org.rtmfpd.log.LogCapture.debug(DeveloperKeyStore.class)) {
            assertEquals(Outcome.RELOADED, store.reload().outcome());
            assertTrue(log.text().contains(": 2 keys (was 1 key)"), log.text());
            write("a/b\n", EDITED.plusSeconds(20));
            assertEquals(Outcome.REJECTED, store.reload().outcome());
            assertTrue(log.text().contains("developer keys not reloaded, keeping the 2 keys in force"), log.text());
        }
    }

    @Test
    void aRejectedReloadDoesNotLogTheKeys() throws Exception {
        DeveloperKeyStore store = loaded("first-secret\n");
        write("first-secret\nsecond-secret\nfirst-secret label=x\nthird/secret\n", EDITED.plusSeconds(10));
        try (org.rtmfpd.log.LogCapture log = org.rtmfpd.log.LogCapture.debug(DeveloperKeyStore.class)) {
            DeveloperKeyStore.Reload r = store.reload();
            assertEquals(Outcome.REJECTED, r.outcome());
            assertTrue(log.text().contains(":3: this key (" + DeveloperKey.logNameOf("first-secret") + ")"), log.text());
            assertTrue(log.text().contains(":4: the key may not contain '/'"), log.text());
            for (String key : new String[] {"first-secret", "second-secret", "third/secret"}) {
                assertFalse(log.text().contains(key), log.text());
                assertFalse(r.problem().orElseThrow().contains(key), r.problem().orElseThrow());
            }
        }
    }

    @Test
    void forcedReloadReportsABrokenFileEveryTime() throws Exception {
        DeveloperKeyStore store = loaded("a\n");
        write("a/b\n", EDITED.plusSeconds(10));
        assertEquals(Outcome.REJECTED, store.reload().outcome());
        assertEquals(Outcome.REJECTED, store.reload().outcome());
        assertEquals(2, store.rejectionCount());
        assertTrue(store.find("a").isPresent());
    }

    @Test
    void forcedReloadOfTheSameKeysIsUnchanged() throws Exception {
        DeveloperKeyStore store = loaded("a\n");
        assertEquals(Outcome.UNCHANGED, store.reload().outcome());
        write("a   # now with a comment\n", EDITED.plusSeconds(10));
        assertEquals(Outcome.UNCHANGED, store.reload().outcome(), "same keys, different text");
        assertEquals(0, store.reloadCount());
    }

    @Test
    void deletedFileKeepsTheKeysAndIsReportedOnceThenPickedUpAgain() throws Exception {
        DeveloperKeyStore store = loaded("a\n");
        Files.delete(file);
        DeveloperKeyStore.Reload r = store.reloadIfChanged();
        assertEquals(Outcome.REJECTED, r.outcome());
        assertTrue(r.problem().orElseThrow().contains("no such file"));
        assertEquals(Outcome.UNCHANGED, store.reloadIfChanged().outcome());
        assertTrue(store.find("a").isPresent());
        write("a\nc\n", EDITED.plusSeconds(30));
        assertEquals(Outcome.RELOADED, store.reloadIfChanged().outcome());
        assertTrue(store.find("c").isPresent());
    }

    @Test
    void sameSizeSameStampEditIsCaughtWhileTheReadWasRacy() throws Exception {
        // Read one second after the edit: a second edit could carry the same time stamp.
        now.set(EDITED.plusSeconds(1));
        DeveloperKeyStore store = loaded("aaaa\n");
        write("bbbb\n", EDITED);
        assertEquals(Outcome.RELOADED, store.reloadIfChanged().outcome());
        assertTrue(store.find("bbbb").isPresent());
    }

    @Test
    void sameSizeSameStampEditIsTrustedOnceTheReadIsWellAfterTheEdit() throws Exception {
        // This documents the limit of the cheap check: the stamp is trusted when the read came later
        // than the racy window. (Editors change the modification time; SIGHUP forces a reload.)
        DeveloperKeyStore store = loaded("aaaa\n");
        write("bbbb\n", EDITED);
        assertEquals(Outcome.UNCHANGED, store.reloadIfChanged().outcome());
        assertEquals(Outcome.RELOADED, store.reload().outcome());
        assertTrue(store.find("bbbb").isPresent());
    }

    @Test
    void racyReadStopsBeingRacyOnceTheClockMovesOn() throws Exception {
        now.set(EDITED.plusSeconds(1));
        DeveloperKeyStore store = loaded("aaaa\n");
        now.set(EDITED.plusSeconds(10));
        assertEquals(Outcome.UNCHANGED, store.reloadIfChanged().outcome(), "hash check, same content");
        write("bbbb\n", EDITED);
        assertEquals(Outcome.UNCHANGED, store.reloadIfChanged().outcome(), "stamp trusted now");
    }

    @Test
    void storeMadeFromKeysPicksUpTheFile() throws Exception {
        DeveloperKeyStore store = DeveloperKeyStore.of(file, DeveloperKeys.empty(), clock);
        assertEquals(Outcome.REJECTED, store.reloadIfChanged().outcome(), "no file yet");
        write("z\n", EDITED);
        assertEquals(Outcome.RELOADED, store.reloadIfChanged().outcome());
        assertTrue(store.find("z").isPresent());
    }
}
