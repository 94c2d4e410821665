package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;

/**
 * Turns a session ID into the scrambled session ID (SSID) at the front of a datagram and back
 * (RFC 7016 §2.2.2): {@code SSID = sessionID XOR first32[0] XOR first32[1]}, where the two words are the
 * first eight bytes of the encrypted packet, read big-endian, and missing bytes count as zero. The same
 * XOR undoes itself.
 */
public final class SessionIdScrambler {
    /** Bytes of the scrambled session ID in front of the encrypted packet (RFC 7016 §2.2.2). */
    public static final int SSID_SIZE = Integer.BYTES;
    /** Bytes of the encrypted packet that take part in the scrambling (RFC 7016 §2.2.2). */
    private static final int SCRAMBLE_BYTES = 2 * Integer.BYTES;

    private SessionIdScrambler() {
    }

    /** The SSID to send for {@code sessionId} in front of {@code encryptedPacket} (its readable bytes). */
    public static int scramble(int sessionId, ByteBuf encryptedPacket) {
        return sessionId ^ firstWords(encryptedPacket);
    }

    /** The session ID that {@code ssid} stands for in front of {@code encryptedPacket} (its readable bytes). */
    public static int unscramble(int ssid, ByteBuf encryptedPacket) {
        return ssid ^ firstWords(encryptedPacket);
    }

    /**
     * The session ID a whole datagram (SSID, then the encrypted packet) is addressed to; the buffer's
     * indexes are not moved.
     *
     * @throws WireException if the datagram is shorter than the SSID
     */
    public static int sessionIdOf(ByteBuf datagram) {
        if (datagram.readableBytes() < SSID_SIZE) {
            throw new WireException("datagram of " + datagram.readableBytes() + " bytes has no session ID");
        }
        int start = datagram.readerIndex();
        ByteBuf encryptedPacket = datagram.slice(start + SSID_SIZE, datagram.readableBytes() - SSID_SIZE);
        return unscramble(datagram.getInt(start), encryptedPacket);
    }

    /** {@code first32[0] XOR first32[1]}, zero-padded when fewer than eight bytes are readable. */
    private static int firstWords(ByteBuf encryptedPacket) {
        int start = encryptedPacket.readerIndex();
        int available = Math.min(encryptedPacket.readableBytes(), SCRAMBLE_BYTES);
        int xor = 0;
        for (int i = 0; i < available; i++) {
            int shift = (Integer.BYTES - 1 - i % Integer.BYTES) * Byte.SIZE;
            xor ^= encryptedPacket.getUnsignedByte(start + i) << shift;
        }
        return xor;
    }
}
