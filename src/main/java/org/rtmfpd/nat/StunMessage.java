package org.rtmfpd.nat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A STUN message (RFC 8489 §5) and its byte form: a 20-byte header (type, length, magic cookie,
 * transaction ID) and attributes, each padded to four bytes. {@link #decode} checks the header, the
 * attribute framing and FINGERPRINT; {@link #encode} appends FINGERPRINT.
 *
 * @param type          the message type (method and class, RFC 8489 §5)
 * @param transactionId 12 bytes
 * @param attributes    in order, FINGERPRINT left out
 */
public record StunMessage(int type, byte[] transactionId, List<Attribute> attributes) {
    /** RFC 8489 §5. */
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int TRANSACTION_ID_LENGTH = 12;
    /** Binding request, success response and error response (RFC 8489 §18.2, §5). */
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;
    /** The class bits of a message type (RFC 8489 §5): 0x0000 request, 0x0010 indication, 0x0100 and 0x0110 responses. */
    public static final int CLASS_MASK = 0x0110;
    /** FINGERPRINT is CRC-32 of the message before it, XORed with this (RFC 8489 §14.7). */
    static final int FINGERPRINT_XOR = 0x5354554e;
    private static final int ATTRIBUTE_HEADER = 4;
    private static final int FINGERPRINT_ATTRIBUTE_LENGTH = 8;

    /** One attribute: its type (RFC 8489 §14, RFC 5780 §7) and value, without padding. */
    public record Attribute(int type, byte[] value) {
        public Attribute {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Attribute a && a.type == type && Arrays.equals(a.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return String.format("0x%04x(%d bytes)", type, value.length);
        }
    }

    public StunMessage {
        if ((type & 0xC000) != 0) {
            throw new IllegalArgumentException("a STUN message type has its two top bits zero");
        }
        if (transactionId.length != TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("a transaction ID is 12 bytes");
        }
        transactionId = transactionId.clone();
        attributes = List.copyOf(attributes);
    }

    @Override
    public byte[] transactionId() {
        return transactionId.clone();
    }

    /**
     * Whether a datagram is STUN rather than RTMFP: RFC 7983 §7's first byte (0 to 3) and the magic
     * cookie at bytes 4 to 7, with a length field that matches the datagram. An RTMFP datagram starts
     * with a scrambled session ID, so it passes all three by chance about once in 2^38.
     */
    public static boolean looksLikeStun(byte[] datagram) {
        return datagram.length >= HEADER_LENGTH && (datagram[0] & 0xFF) <= 3
                && ByteBuffer.wrap(datagram, 4, 4).getInt() == MAGIC_COOKIE
                && ((datagram[2] & 0xFF) << 8 | (datagram[3] & 0xFF)) == datagram.length - HEADER_LENGTH;
    }

    /** Parses {@code datagram}, checking framing and FINGERPRINT (when present); throws {@link StunException} with the reason. */
    public static StunMessage decode(byte[] datagram) throws StunException {
        if (!looksLikeStun(datagram)) {
            throw new StunException(StunDrop.MALFORMED_HEADER, "not a STUN header (RFC 8489 §5)");
        }
        if (datagram.length % 4 != 0) {
            throw new StunException(StunDrop.MALFORMED_HEADER, "length not a multiple of 4 (RFC 8489 §5)");
        }
        ByteBuffer in = ByteBuffer.wrap(datagram);
        int type = in.getShort() & 0xFFFF;
        in.position(8);
        byte[] transactionId = new byte[TRANSACTION_ID_LENGTH];
        in.get(transactionId);
        List<Attribute> attributes = new ArrayList<>();
        while (in.hasRemaining()) {
            if (in.remaining() < ATTRIBUTE_HEADER) {
                throw new StunException(StunDrop.MALFORMED_ATTRIBUTE, "attribute header cut short");
            }
            int start = in.position();
            int attrType = in.getShort() & 0xFFFF;
            int length = in.getShort() & 0xFFFF;
            int padded = (length + 3) & ~3;
            if (padded > in.remaining()) {
                throw new StunException(StunDrop.MALFORMED_ATTRIBUTE,
                        String.format("attribute 0x%04x runs past the message", attrType));
            }
            byte[] value = new byte[length];
            in.get(value);
            in.position(in.position() + padded - length);
            if (attrType == StunAttributes.FINGERPRINT) {
                if (length != 4 || in.hasRemaining()) {
                    throw new StunException(StunDrop.BAD_FINGERPRINT, "FINGERPRINT must be 4 bytes and last (RFC 8489 §14.7)");
                }
                if (ByteBuffer.wrap(value).getInt() != fingerprint(datagram, start)) {
                    throw new StunException(StunDrop.BAD_FINGERPRINT, "FINGERPRINT does not match (RFC 8489 §14.7)");
                }
                break;
            }
            attributes.add(new Attribute(attrType, value));
        }
        return new StunMessage(type, transactionId, attributes);
    }

    /** The byte form, with FINGERPRINT last. */
    public byte[] encode() {
        int length = 0;
        for (Attribute a : attributes) {
            length += ATTRIBUTE_HEADER + ((a.value.length + 3) & ~3);
        }
        length += FINGERPRINT_ATTRIBUTE_LENGTH;
        ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + length);
        out.putShort((short) type).putShort((short) length).putInt(MAGIC_COOKIE).put(transactionId);
        for (Attribute a : attributes) {
            out.putShort((short) a.type).putShort((short) a.value.length).put(a.value);
            out.position(out.position() + (((a.value.length + 3) & ~3) - a.value.length));
        }
        int at = out.position();
        out.putShort((short) StunAttributes.FINGERPRINT).putShort((short) 4).putInt(fingerprint(out.array(), at));
        return out.array();
    }

    /** The size {@link #encode()} gives. */
    public int encodedLength() {
        int length = HEADER_LENGTH + FINGERPRINT_ATTRIBUTE_LENGTH;
        for (Attribute a : attributes) {
            length += ATTRIBUTE_HEADER + ((a.value.length + 3) & ~3);
        }
        return length;
    }

    /** CRC-32 of {@code message} up to {@code end} (where FINGERPRINT starts), XOR 0x5354554e (RFC 8489 §14.7). */
    private static int fingerprint(byte[] message, int end) {
        CRC32 crc = new CRC32();
        crc.update(message, 0, end);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    /** The first attribute of {@code attrType}, if any. */
    public Optional<Attribute> attribute(int attrType) {
        for (Attribute a : attributes) {
            if (a.type == attrType) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** A copy with {@code attribute} added at the end. */
    public StunMessage with(Attribute attribute) {
        List<Attribute> more = new ArrayList<>(attributes);
        more.add(attribute);
        return new StunMessage(type, transactionId, more);
    }

    public boolean isRequest() {
        return (type & CLASS_MASK) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StunMessage m && m.type == type && Arrays.equals(m.transactionId, transactionId)
                && m.attributes.equals(attributes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type + Arrays.hashCode(transactionId)) + attributes.hashCode();
    }

    @Override
    public String toString() {
        return String.format("StunMessage[type=0x%04x, %s]", type, attributes);
    }
}
