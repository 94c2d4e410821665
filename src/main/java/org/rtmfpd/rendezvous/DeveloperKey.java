package org.rtmfpd.rendezvous;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One developer key from the keys file, with its optional per-key settings.
 *
 * @param key         the key itself: the first path segment of {@code rtmfp://host/KEY}
 * @param label       a name for logs and metrics; empty when the file gives none (logs then use a hash)
 * @param peerCap     overrides the server's {@code peer-cap} for clients of this key
 * @param maxSessions the most clients of this key connected at once; unlimited when empty
 */
public record DeveloperKey(String key, String label, OptionalInt peerCap, OptionalInt maxSessions) {
    /** Longest key accepted. */
    public static final int MAX_KEY_LENGTH = 256;
    /** Longest label accepted, in characters. */
    public static final int MAX_LABEL_LENGTH = 200;
    /** Largest peer cap accepted, here and in rtmfpd.conf; it bounds the memory one peer can hold. */
    public static final int MAX_PEER_CAP = 10_000;
    /** Bytes of a key's SHA-256 that name it in logs. */
    private static final int LOG_HASH_BYTES = 4;
    /**
     * Log names of keys from the keys file, by key: logs and metrics name the key of every introduction.
     * Only {@link #logName()} fills it, so the unknown keys clients send cannot take its places.
     */
    private static final Map<String, String> LOG_NAMES = new ConcurrentHashMap<>();
    /** Keys whose log name is kept; past it, each is hashed again (a keys file rarely has this many). */
    private static final int LOG_NAMES_KEPT = 4096;

    public DeveloperKey {
        String problem = keyProblem(key);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (label == null || label.length() > MAX_LABEL_LENGTH) {
            throw new IllegalArgumentException("label must be at most " + MAX_LABEL_LENGTH + " characters");
        }
        if (peerCap == null || maxSessions == null) {
            throw new IllegalArgumentException("use OptionalInt.empty() for settings that are not given");
        }
        if (peerCap.isPresent() && (peerCap.getAsInt() < 1 || peerCap.getAsInt() > MAX_PEER_CAP)) {
            throw new IllegalArgumentException("peer-cap must be from 1 to " + MAX_PEER_CAP);
        }
        if (maxSessions.isPresent() && maxSessions.getAsInt() < 1) {
            throw new IllegalArgumentException("max-sessions must be positive");
        }
    }

    /** A key with no per-key settings. */
    public static DeveloperKey of(String key) {
        return new DeveloperKey(key, "", OptionalInt.empty(), OptionalInt.empty());
    }

    /** This key's peer cap, or {@code serverPeerCap} when the key does not set one. */
    public int peerCapOr(int serverPeerCap) {
        return peerCap.orElse(serverPeerCap);
    }

    /** This key's session limit, or {@link Integer#MAX_VALUE} when it sets none. */
    public int maxSessionsOrUnlimited() {
        return maxSessions.orElse(Integer.MAX_VALUE);
    }

    /**
     * What logs and messages call this key: its label when it has one, otherwise
     * {@link #logNameOf(String) a short hash}. The key itself is a credential and is never logged.
     */
    public String logName() {
        if (!label.isEmpty()) {
            return label;
        }
        String known = LOG_NAMES.get(key);
        if (known != null) {
            return known;
        }
        String name = logNameOf(key);
        if (LOG_NAMES.size() < LOG_NAMES_KEPT) {
            LOG_NAMES.put(key, name);
        }
        return name;
    }

    /**
     * What logs call a key string, known or not: {@code key#} and the first 8 hex digits of the
     * SHA-256 of its UTF-8 bytes ({@code printf %s KEY | sha256sum | cut -c1-8}): enough for an
     * operator to tell keys apart and to check which key a line is about, too little to recover a random
     * key (a guessable one can be confirmed against it: give such keys a label).
     */
    public static String logNameOf(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "key#" + HexFormat.of().formatHex(digest, 0, LOG_HASH_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Why {@code key} cannot be a developer key, or null if it can. A key is 1 to 256 printable ASCII
     * characters (0x21 to 0x7e) other than {@code / # = "}.
     */
    public static String keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "the key is empty";
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return "the key is " + key.length() + " characters long; the limit is " + MAX_KEY_LENGTH;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "the key may only hold printable ASCII characters (no spaces), found "
                        + String.format("U+%04X", (int) c) + " at position " + (i + 1);
            }
            if (c == '/' || c == '#' || c == '=' || c == '"') {
                return "the key may not contain '" + c + "' (found at position " + (i + 1) + ")";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        // Keys are credentials of a sort: keep them out of casual toString() output.
        return "DeveloperKey[" + logName() + ", peerCap=" + peerCap
                + ", maxSessions=" + maxSessions + "]";
    }
}
