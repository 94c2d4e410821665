package org.rtmfpd.rendezvous;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current developer keys and swaps in a new set when the keys file changes, keeping the old
 * set when the new file is invalid. Readers ({@link #current()}, {@link #find}) never block.
 *
 * <p>Nothing here starts a thread: the server calls {@link #reloadIfChanged()} on a timer every few
 * seconds, and {@link #reload()} on SIGHUP. {@code reloadIfChanged()} compares the file's size and
 * modification time with the last read, and re-reads the file when they differ; when the last read
 * happened within {@link #RACY_WINDOW} of the file's modification time (so that a second edit could
 * share the time stamp), it also compares a SHA-256 of the contents until that window has passed.
 * A reload that produces the same contents as the last one is reported as unchanged.
 */
public final class DeveloperKeyStore {
    /** How close to its modification time a read must be for a same-stamp edit to be possible. */
    public static final Duration RACY_WINDOW = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(DeveloperKeyStore.class);

    /** What a reload did. */
    public enum Outcome {
        /** The file is as it was at the last read (or still broken in the same way): nothing to do. */
        UNCHANGED,
        /** A new, valid file: its keys are now current. */
        RELOADED,
        /** The file is unreadable or invalid: the previous keys stay current. */
        REJECTED
    }

    /**
     * The result of a reload.
     *
     * @param outcome what happened
     * @param keys    the keys current after the reload
     * @param problem why the file was rejected (for REJECTED), one problem per line
     */
    public record Reload(Outcome outcome, DeveloperKeys keys, Optional<String> problem) {
    }

    private final Path file;
    private final InstantSource clock;
    private volatile DeveloperKeys current;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong rejections = new AtomicLong();

    // Guarded by this: what the last look at the file saw.
    private Stamp stamp;
    private byte[] contentHash;
    private boolean racy;

    private record Stamp(long modifiedNanos, long size) {
    }

    private DeveloperKeyStore(Path file, InstantSource clock, DeveloperKeys keys, Stamp stamp, byte[] hash,
            boolean racy) {
        this.file = file;
        this.clock = clock;
        this.current = keys;
        this.stamp = stamp;
        this.contentHash = hash;
        this.racy = racy;
    }

    /** Loads the file; a missing or invalid file at start-up is an error, not an empty set. */
    public static DeveloperKeyStore load(Path file) throws DeveloperKeysException {
        return load(file, InstantSource.system());
    }

    /** As {@link #load(Path)}, with the clock that decides when a read is too close to an edit. */
    public static DeveloperKeyStore load(Path file, InstantSource clock) throws DeveloperKeysException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        Stamp stamp = stat(file);
        Instant readAt = clock.instant();
        byte[] bytes = DeveloperKeys.read(file);
        DeveloperKeys keys = DeveloperKeys.parse(file.toString(), bytes);
        if (keys.isEmpty()) {
            log.warn("{} holds no developer keys: every connect will be rejected", file);
        } else {
            log.info("developer keys from {}: {}", file, DeveloperKeys.count(keys.size()));
        }
        return new DeveloperKeyStore(file, clock, keys, stamp, sha256(bytes), isRacy(stamp, readAt));
    }

    /** A store that holds {@code keys} and watches {@code file} for the next version. */
    public static DeveloperKeyStore of(Path file, DeveloperKeys keys, InstantSource clock) {
        return new DeveloperKeyStore(file, clock, keys, null, null, true);
    }

    public Path file() {
        return file;
    }

    /** The keys in force now. */
    public DeveloperKeys current() {
        return current;
    }

    /** The key with this exact spelling in the current set. */
    public Optional<DeveloperKey> find(String key) {
        return current.find(key);
    }

    /** How many times a new set of keys was swapped in. */
    public long reloadCount() {
        return reloads.get();
    }

    /** How many reloads kept the previous keys because the file was unreadable or invalid. */
    public long rejectionCount() {
        return rejections.get();
    }

    /** Re-reads the file now, whatever its time stamp (SIGHUP); reports a broken file every time. */
    public synchronized Reload reload() {
        Stamp seen;
        Instant readAt = clock.instant();
        byte[] bytes;
        try {
            seen = stat(file);
            bytes = DeveloperKeys.read(file);
        } catch (DeveloperKeysException e) {
            return unreadable(e);
        }
        return apply(seen, readAt, bytes, true);
    }

    /** Re-reads the file if it may have changed since the last look; the server's timer calls this. */
    public synchronized Reload reloadIfChanged() {
        Stamp seen;
        try {
            seen = stat(file);
        } catch (DeveloperKeysException e) {
            if (stamp == null && contentHash == null && !racy) {
                return unchanged(); // already reported as unreadable
            }
            return unreadable(e);
        }
        if (seen.equals(stamp) && !racy) {
            return unchanged();
        }
        Instant readAt = clock.instant();
        byte[] bytes;
        try {
            bytes = DeveloperKeys.read(file);
        } catch (DeveloperKeysException e) {
            return unreadable(e);
        }
        return apply(seen, readAt, bytes, false);
    }

    private Reload apply(Stamp seen, Instant readAt, byte[] bytes, boolean forced) {
        byte[] hash = sha256(bytes);
        boolean sameContent = Arrays.equals(hash, contentHash);
        stamp = seen;
        racy = isRacy(seen, readAt);
        if (sameContent && !forced) {
            return unchanged();
        }
        contentHash = hash;
        DeveloperKeys keys;
        try {
            keys = DeveloperKeys.parse(file.toString(), bytes);
        } catch (DeveloperKeysException e) {
            return reject(e);
        }
        DeveloperKeys before = current;
        if (keys.equals(before)) {
            log.debug("{} re-read: the keys are unchanged", file);
            return unchanged();
        }
        current = keys;
        reloads.incrementAndGet();
        log.info("developer keys reloaded from {}: {} (was {})", file, DeveloperKeys.count(keys.size()),
                DeveloperKeys.count(before.size()));
        if (keys.isEmpty()) {
            log.warn("{} now holds no developer keys: every new connect will be rejected", file);
        }
        return new Reload(Outcome.RELOADED, keys, Optional.empty());
    }

    private Reload unchanged() {
        return new Reload(Outcome.UNCHANGED, current, Optional.empty());
    }

    private Reload reject(DeveloperKeysException e) {
        rejections.incrementAndGet();
        DeveloperKeys kept = current;
        log.warn("developer keys not reloaded, keeping the {} in force:{}{}", DeveloperKeys.count(kept.size()),
                System.lineSeparator(), e.getMessage());
        return new Reload(Outcome.REJECTED, kept, Optional.of(e.getMessage()));
    }

    /** The file cannot be read: report it once, and look again on every tick until it can. */
    private Reload unreadable(DeveloperKeysException e) {
        stamp = null;
        contentHash = null;
        racy = false;
        return reject(e);
    }

    private static boolean isRacy(Stamp stamp, Instant readAt) {
        long readNanos = readAt.getEpochSecond() * 1_000_000_000L + readAt.getNano();
        return readNanos - stamp.modifiedNanos() < RACY_WINDOW.toNanos();
    }

    private static Stamp stat(Path file) throws DeveloperKeysException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            Instant m = a.lastModifiedTime().toInstant();
            return new Stamp(m.getEpochSecond() * 1_000_000_000L + m.getNano(), a.size());
        } catch (NoSuchFileException e) {
            throw DeveloperKeys.missing(file);
        } catch (IOException e) {
            throw new DeveloperKeysException(file + ": cannot read the file (" + e + ")");
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
