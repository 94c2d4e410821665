package org.rtmfpd.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.wire.Packet;
import org.rtmfpd.wire.SessionIdScrambler;

/**
 * Turns a {@link Packet} into a complete datagram ({@code scrambled session ID | encrypted packet})
 * and back (RFC 7016 §2.2.2, RFC 7425 §4.1).
 */
public final class Datagrams {
    /** Datagram bytes before the encrypted packet: the scrambled session ID (RFC 7016 §2.2.2). */
    public static final int SSID_LENGTH = SessionIdScrambler.SSID_SIZE;

    /** Each thread encodes its plaintext packets here: sealing copies them out, so one buffer serves. */
    private static final ThreadLocal<ByteBuf> SCRATCH = ThreadLocal.withInitial(() -> Unpooled.buffer(2048));
    /**
     * Each thread decrypts received packets here: decoding copies every field out of it (the chunks are
     * records of their own arrays), so one buffer serves. Larger datagrams get an array of their own.
     */
    private static final ThreadLocal<byte[]> PLAIN = ThreadLocal.withInitial(() -> new byte[2048]);
    /** A scratch buffer that grew past this (an unusually large packet) is not kept. */
    private static final int SCRATCH_KEPT = 8192;

    private Datagrams() {
    }

    public static byte[] encode(int farSessionId, PacketCipher cipher, long sequenceNumber, Packet packet) {
        ByteBuf plain = SCRATCH.get().clear();
        packet.encode(plain);
        byte[] datagram = seal(farSessionId, cipher, sequenceNumber, plain.array(), plain.arrayOffset(), plain.readableBytes());
        if (plain.capacity() > SCRATCH_KEPT) {
            SCRATCH.remove();
        }
        return datagram;
    }

    /** Encrypts {@code length} bytes of an encoded packet and puts the scrambled session ID in front. */
    public static byte[] seal(int farSessionId, PacketCipher cipher, long sequenceNumber, byte[] plain, int offset,
                              int length) {
        byte[] datagram = cipher.seal(plain, offset, length, sequenceNumber, SSID_LENGTH);
        int ssid = SessionIdScrambler.scramble(farSessionId,
                Unpooled.wrappedBuffer(datagram, SSID_LENGTH, datagram.length - SSID_LENGTH));
        datagram[0] = (byte) (ssid >>> 24);
        datagram[1] = (byte) (ssid >>> 16);
        datagram[2] = (byte) (ssid >>> 8);
        datagram[3] = (byte) ssid;
        return datagram;
    }

    /** The receiver's session ID of a datagram of at least {@link #SSID_LENGTH} bytes. */
    public static int sessionId(byte[] datagram) {
        return SessionIdScrambler.sessionIdOf(Unpooled.wrappedBuffer(datagram));
    }

    /**
     * Decrypts and parses a datagram; throws {@link org.rtmfpd.wire.WireException} when any check fails.
     */
    public static Decoded decode(byte[] datagram, PacketCipher cipher) {
        PacketCipher.Opened opened = cipher.open(datagram, SSID_LENGTH, datagram.length - SSID_LENGTH, PLAIN.get());
        Packet packet = Packet.decode(Unpooled.wrappedBuffer(opened.plain(), opened.offset(), opened.length()));
        return new Decoded(opened.sequenceNumber(), packet);
    }

    /** A decrypted packet and its session sequence number (-1 when none is in use). */
    public record Decoded(long sequenceNumber, Packet packet) {
    }
}
