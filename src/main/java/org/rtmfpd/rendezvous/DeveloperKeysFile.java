package org.rtmfpd.rendezvous;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Issues developer keys and adds them to the keys file. A new key has the format Cirrus keys had: 24
 * lowercase hex digits, a dash, 12 lowercase hex digits (72 random bits from a secure source). A key is
 * added by writing the whole file anew beside the old one and renaming it into place, so that a running
 * server's reload sees the old file or the new one, never half of one; the file's other lines, its
 * comments and its line endings are kept byte for byte, and so are its owner, group and mode.
 */
public final class DeveloperKeysFile {
    /** The format of issued keys. */
    public static final Pattern CIRRUS_FORMAT = Pattern.compile("[0-9a-f]{24}-[0-9a-f]{12}");

    private DeveloperKeysFile() {
    }

    /** A new key in the Cirrus format. */
    public static String newKey(SecureRandom random) {
        byte[] b = new byte[18];
        random.nextBytes(b);
        String hex = HexFormat.of().formatHex(b);
        return hex.substring(0, 24) + "-" + hex.substring(24);
    }

    /** The keys-file line for {@code key}: the key, then its settings; a label is always quoted. */
    public static String line(DeveloperKey key) {
        StringBuilder out = new StringBuilder(key.key());
        if (!key.label().isEmpty()) {
            out.append(" label=\"").append(key.label()).append('"');
        }
        key.peerCap().ifPresent(n -> out.append(" peer-cap=").append(n));
        key.maxSessions().ifPresent(n -> out.append(" max-sessions=").append(n));
        return out.toString();
    }

    /** Why {@code label} cannot be written in the keys file, or null if it can. */
    public static String labelProblem(String label) {
        if (label.length() > DeveloperKey.MAX_LABEL_LENGTH) {
            return "the label is " + label.length() + " characters long; the limit is " + DeveloperKey.MAX_LABEL_LENGTH;
        }
        if (label.indexOf('"') >= 0) {
            return "the label may not contain '\"'";
        }
        if (label.chars().anyMatch(Character::isISOControl)) {
            return "the label may not contain control characters (tabs, newlines)";
        }
        return null;
    }

    /**
     * Appends {@code key} to {@code file} (created if missing). The file must be valid before, and is
     * checked again with the new line before it replaces the old one. Returns the keys now in the file.
     */
    public static DeveloperKeys append(Path file, DeveloperKey key) throws DeveloperKeysException, IOException {
        String labelProblem = labelProblem(key.label());
        if (labelProblem != null) {
            throw new DeveloperKeysException(labelProblem);
        }
        boolean exists = Files.exists(file);
        byte[] old = exists ? DeveloperKeys.read(file) : new byte[0];
        DeveloperKeys before = DeveloperKeys.parse(file.toString(), old);
        if (before.contains(key.key())) {
            throw new DeveloperKeysException(file + ": the key " + key.logName() + " is already in the file");
        }
        String text = new String(old, StandardCharsets.UTF_8);
        String eol = text.contains("\r\n") ? "\r\n" : "\n";
        String lead = old.length == 0 || text.endsWith("\n") || text.endsWith("\r") ? "" : eol;
        byte[] added = (lead + line(key) + eol).getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[old.length + added.length];
        System.arraycopy(old, 0, bytes, 0, old.length);
        System.arraycopy(added, 0, bytes, old.length, added.length);
        DeveloperKeys after = DeveloperKeys.parse(file.toString(), bytes);
        if (!after.find(key.key()).equals(java.util.Optional.of(key))) {
            throw new DeveloperKeysException(file + ": the new line does not read back as written");
        }
        replace(file, bytes, exists);
        return after;
    }

    private static void replace(Path file, byte[] bytes, boolean exists) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("the folder " + dir + " does not exist; create it first, or name another --file");
        }
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            if (posix != null) {
                if (exists) {
                    keepOwnership(file, posix);
                }
                posix.setPermissions(exists ? Files.getPosixFilePermissions(file)
                        : PosixFilePermissions.fromString("rw-r-----"));
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Gives the new file the old one's owner and group, so that the server, which reads the file through
     * its group (the package's {@code root:rtmfpd 0640}), still can after the rename. Refuses, leaving the
     * old file as it was, when the new file cannot have them.
     */
    private static void keepOwnership(Path file, PosixFileAttributeView tmp) throws IOException {
        PosixFileAttributes old = Files.readAttributes(file, PosixFileAttributes.class);
        PosixFileAttributes now = tmp.readAttributes();
        try {
            if (!now.owner().equals(old.owner())) {
                tmp.setOwner(old.owner());
            }
            if (!now.group().equals(old.group())) {
                tmp.setGroup(old.group());
            }
        } catch (FileSystemException e) {
            throw new IOException("the new file could not be given the owner and group of " + file + " ("
                    + old.owner().getName() + ":" + old.group().getName() + "), and the server may not read it"
                    + " without them; run this as root or as " + old.owner().getName(), e);
        }
    }
}
