package org.rtmfpd.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.rtmfpd.wire.Checksum;
import org.rtmfpd.wire.Vlu;
import org.rtmfpd.wire.WireException;
import io.netty.buffer.Unpooled;

/**
 * Turns one plaintext RTMFP packet into the encrypted part of a datagram and back, per the Flash
 * profile (RFC 7425 §4.1, §4.6.4): {@code [SSEQ] | [checksum] | packet | 0xff padding}, encrypted with
 * AES-128-CBC under a zero IV, then an HMAC-SHA256 tag of the ciphertext when HMAC is in use.
 * One instance holds the keys of one direction pair; it is immutable and may be shared by threads.
 */
public final class PacketCipher {
    /** The default session key, "Adobe Systems 02", for startup packets (RFC 7425 §4.1). */
    public static final byte[] DEFAULT_KEY = "Adobe Systems 02".getBytes(StandardCharsets.US_ASCII);
    public static final PacketCipher DEFAULT = new PacketCipher(DEFAULT_KEY, DEFAULT_KEY, null, 0, null, 0, false, false);

    public static final int BLOCK = 16;
    private static final int CHECKSUM_LENGTH = 2;
    private static final byte PADDING = (byte) 0xff;
    private static final IvParameterSpec ZERO_IV = new IvParameterSpec(new byte[BLOCK]);
    private static final String AES = "AES/CBC/NoPadding";
    private static final ThreadLocal<Cipher> ENCRYPT = ThreadLocal.withInitial(PacketCipher::newAes);
    private static final ThreadLocal<Cipher> DECRYPT = ThreadLocal.withInitial(PacketCipher::newAes);
    /**
     * Ciphers keyed once per thread with the default key, for startup packets: no key schedule per
     * packet. {@code doFinal} leaves a Cipher as {@code init} left it (same key, zero IV again).
     */
    private static final ThreadLocal<Cipher> DEFAULT_ENCRYPT =
            ThreadLocal.withInitial(() -> keyedAes(Cipher.ENCRYPT_MODE, DEFAULT_KEY));
    private static final ThreadLocal<Cipher> DEFAULT_DECRYPT =
            ThreadLocal.withInitial(() -> keyedAes(Cipher.DECRYPT_MODE, DEFAULT_KEY));
    /** A whole HMAC-SHA256 tag, before it is cut to the length in use. */
    private static final ThreadLocal<byte[]> TAG = ThreadLocal.withInitial(() -> new byte[32]);
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    });

    private final SecretKeySpec encryptKey;
    private final SecretKeySpec decryptKey;
    private final SecretKeySpec sendHmacKey;
    private final int sendHmacLength;
    private final SecretKeySpec receiveHmacKey;
    private final int receiveHmacLength;
    private final boolean sendSequenceNumbers;
    private final boolean receiveSequenceNumbers;
    /** This is {@link #DEFAULT}: its AES keys are the default key in both directions. */
    private final boolean defaultKeys;

    private PacketCipher(byte[] encryptKey, byte[] decryptKey, byte[] sendHmacKey, int sendHmacLength,
                         byte[] receiveHmacKey, int receiveHmacLength, boolean sendSequenceNumbers,
                         boolean receiveSequenceNumbers) {
        this.encryptKey = new SecretKeySpec(encryptKey, "AES");
        this.decryptKey = new SecretKeySpec(decryptKey, "AES");
        this.sendHmacKey = sendHmacLength > 0 ? new SecretKeySpec(sendHmacKey, "HmacSHA256") : null;
        this.sendHmacLength = sendHmacLength;
        this.receiveHmacKey = receiveHmacLength > 0 ? new SecretKeySpec(receiveHmacKey, "HmacSHA256") : null;
        this.receiveHmacLength = receiveHmacLength;
        this.sendSequenceNumbers = sendSequenceNumbers;
        this.receiveSequenceNumbers = receiveSequenceNumbers;
        this.defaultKeys = Arrays.equals(encryptKey, DEFAULT_KEY) && Arrays.equals(decryptKey, DEFAULT_KEY);
    }

    /**
     * The cipher of an open session.
     *
     * @param sendHmacLength tag length this end sends, 0 when it sends none
     * @param receiveHmacLength tag length this end checks, 0 when it checks none
     */
    public static PacketCipher forSession(SessionKeys keys, int sendHmacLength, int receiveHmacLength,
                                          boolean sendSequenceNumbers, boolean receiveSequenceNumbers) {
        return new PacketCipher(keys.encryptKey(), keys.decryptKey(), keys.sendHmacKey(), sendHmacLength,
                keys.receiveHmacKey(), receiveHmacLength, sendSequenceNumbers, receiveSequenceNumbers);
    }

    public boolean sendsSequenceNumbers() {
        return sendSequenceNumbers;
    }

    public boolean receivesSequenceNumbers() {
        return receiveSequenceNumbers;
    }

    /**
     * Encrypts {@code length} bytes of packet (flags through the last chunk) and returns the
     * ciphertext followed by the HMAC tag, if any. {@code sequenceNumber} is used only when this end
     * sends session sequence numbers.
     */
    public byte[] seal(byte[] packet, int offset, int length, long sequenceNumber) {
        return seal(packet, offset, length, sequenceNumber, 0);
    }

    /**
     * As {@link #seal(byte[], int, int, long)}, with {@code headroom} bytes left free in front of the
     * result (for the scrambled session ID), so that the datagram needs no second array.
     */
    public byte[] seal(byte[] packet, int offset, int length, long sequenceNumber, int headroom) {
        int front = (sendSequenceNumbers ? Vlu.size(sequenceNumber) : 0) + (sendHmacKey == null ? CHECKSUM_LENGTH : 0);
        int plainLength = roundUp(front + length);
        byte[] out = new byte[headroom + plainLength + sendHmacLength];
        System.arraycopy(packet, offset, out, headroom + front, length);
        Arrays.fill(out, headroom + front + length, headroom + plainLength, PADDING);
        int cursor = headroom;
        if (sendSequenceNumbers) {
            var seq = Unpooled.wrappedBuffer(out).writerIndex(headroom);
            Vlu.write(seq, sequenceNumber);
            cursor = seq.writerIndex();
        }
        if (sendHmacKey == null) {
            int sum = Checksum.of(Unpooled.wrappedBuffer(out), headroom + front, plainLength - front);
            out[cursor] = (byte) (sum >>> 8);
            out[cursor + 1] = (byte) sum;
        }
        try {
            encrypt(out, headroom, plainLength);
            if (sendHmacKey != null) {
                Mac mac = HMAC.get();
                mac.init(sendHmacKey);
                mac.update(out, headroom, plainLength);
                mac.doFinal(TAG.get(), 0);
                System.arraycopy(TAG.get(), 0, out, headroom + plainLength, sendHmacLength);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("packet encryption failed", e);
        }
        return out;
    }

    /**
     * Checks and decrypts the encrypted part of a datagram. Throws {@link WireException} when the
     * length is wrong, the tag or checksum does not match, or the sequence number is malformed.
     */
    public Opened open(byte[] data, int offset, int length) {
        return open(data, offset, length, null);
    }

    /**
     * As {@link #open(byte[], int, int)}, decrypting into {@code into} when it is long enough (a caller's
     * buffer, reused from datagram to datagram: the result is valid until its next use), else into a new array.
     */
    public Opened open(byte[] data, int offset, int length, byte[] into) {
        int cipherLength = length - receiveHmacLength;
        if (cipherLength <= 0 || cipherLength % BLOCK != 0) {
            throw new WireException("encrypted part of " + length + " bytes is not a whole number of blocks");
        }
        byte[] plain = into != null && into.length >= cipherLength ? into : new byte[cipherLength];
        try {
            if (receiveHmacKey != null) {
                Mac mac = HMAC.get();
                mac.init(receiveHmacKey);
                mac.update(data, offset, cipherLength);
                byte[] expected = TAG.get();
                mac.doFinal(expected, 0);
                if (!tagMatches(expected, data, offset + cipherLength, receiveHmacLength)) {
                    throw new WireException("HMAC tag does not match");
                }
            }
            decrypt(data, offset, cipherLength, plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("packet decryption failed", e);
        }
        var in = Unpooled.wrappedBuffer(plain, 0, cipherLength);
        long sequenceNumber = receiveSequenceNumbers ? Vlu.read(in) : -1;
        if (receiveHmacKey == null) {
            if (in.readableBytes() < CHECKSUM_LENGTH) {
                throw new WireException("packet too short for its checksum");
            }
            int stored = in.readUnsignedShort();
            if (stored != Checksum.of(in, in.readerIndex(), in.readableBytes())) {
                throw new WireException("checksum does not match");
            }
        }
        return new Opened(sequenceNumber, plain, in.readerIndex(), cipherLength);
    }

    /** Whether the first {@code n} bytes of {@code expected} are {@code data[at..at+n)}, in time independent of where they differ. */
    private static boolean tagMatches(byte[] expected, byte[] data, int at, int n) {
        int diff = 0;
        for (int i = 0; i < n; i++) {
            diff |= expected[i] ^ data[at + i];
        }
        return diff == 0;
    }

    private void encrypt(byte[] out, int offset, int length) throws GeneralSecurityException {
        if (defaultKeys) {
            doFinal(DEFAULT_ENCRYPT, out, offset, length, out, offset);
            return;
        }
        Cipher cipher = ENCRYPT.get();
        cipher.init(Cipher.ENCRYPT_MODE, encryptKey, ZERO_IV);
        cipher.doFinal(out, offset, length, out, offset);
    }

    private void decrypt(byte[] data, int offset, int length, byte[] plain) throws GeneralSecurityException {
        if (defaultKeys) {
            doFinal(DEFAULT_DECRYPT, data, offset, length, plain, 0);
            return;
        }
        Cipher cipher = DECRYPT.get();
        cipher.init(Cipher.DECRYPT_MODE, decryptKey, ZERO_IV);
        cipher.doFinal(data, offset, length, plain, 0);
    }

    /** One doFinal on a pre-keyed thread's Cipher; one that failed is dropped, so the next starts clean. */
    private static void doFinal(ThreadLocal<Cipher> keyed, byte[] in, int offset, int length, byte[] out,
                                int outOffset) throws GeneralSecurityException {
        try {
            keyed.get().doFinal(in, offset, length, out, outOffset);
        } catch (GeneralSecurityException | RuntimeException e) {
            keyed.remove();
            throw e;
        }
    }

    private static Cipher keyedAes(int mode, byte[] key) {
        Cipher cipher = newAes();
        try {
            cipher.init(mode, new SecretKeySpec(key, "AES"), ZERO_IV);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-128 is not available", e);
        }
        return cipher;
    }

    private static int roundUp(int n) {
        return (n + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static Cipher newAes() {
        try {
            return Cipher.getInstance(AES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + AES, e);
        }
    }

    /**
     * A decrypted packet: {@code plain[offset..]} is the packet (flags through padding).
     *
     * @param sequenceNumber the session sequence number, or -1 when none is in use
     */
    /** A decrypted packet: {@code plain[offset..end)}, after the sequence number and checksum. */
    public record Opened(long sequenceNumber, byte[] plain, int offset, int end) {
        public int length() {
            return end - offset;
        }
    }
}
