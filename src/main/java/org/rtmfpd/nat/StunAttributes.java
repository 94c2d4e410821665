package org.rtmfpd.nat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The STUN attributes rtmfpd reads or writes, with their RFC sections, and the codecs of the address
 * attributes (RFC 8489 §14.1, §14.2), CHANGE-REQUEST (RFC 5780 §7.2) and ERROR-CODE (RFC 8489 §14.8).
 */
public final class StunAttributes {
    /** RFC 8489 §14.1. */
    public static final int MAPPED_ADDRESS = 0x0001;
    /** RFC 5780 §7.2. */
    public static final int CHANGE_REQUEST = 0x0003;
    /** RFC 8489 §14.3. */
    public static final int USERNAME = 0x0006;
    /** RFC 8489 §14.5. */
    public static final int MESSAGE_INTEGRITY = 0x0008;
    /** RFC 8489 §14.8. */
    public static final int ERROR_CODE = 0x0009;
    /** RFC 8489 §14.9. */
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    /** RFC 8489 §14.9, §14.10. */
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    /** RFC 8489 §14.6, §14.11, §14.12. */
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    public static final int PASSWORD_ALGORITHM = 0x001D;
    public static final int USERHASH = 0x001E;
    /** RFC 8489 §14.2. */
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    /** RFC 8445 §16.1 (ICE). */
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    /** RFC 5780 §7.6. */
    public static final int PADDING = 0x0026;
    /** RFC 5780 §7.5: not supported here, so answered with 420. */
    public static final int RESPONSE_PORT = 0x0027;
    /** RFC 8489 §14.14. */
    public static final int SOFTWARE = 0x8022;
    /** RFC 8489 §14.7. */
    public static final int FINGERPRINT = 0x8028;
    /** RFC 5780 §7.3, §7.4. */
    public static final int RESPONSE_ORIGIN = 0x802B;
    public static final int OTHER_ADDRESS = 0x802C;
    /** CHANGE-REQUEST's flags (RFC 5780 §7.2). */
    public static final int CHANGE_IP = 0x04;
    public static final int CHANGE_PORT = 0x02;
    /** Error codes (RFC 8489 §14.8): the request carried comprehension-required attributes this server does not know. */
    public static final int ERROR_UNKNOWN_ATTRIBUTE = 420;
    /** Error codes (RFC 8489 §14.8): a malformed request that still had a good header. */
    public static final int ERROR_BAD_REQUEST = 400;
    private static final int FAMILY_IPV4 = 0x01;
    private static final int FAMILY_IPV6 = 0x02;

    /**
     * Comprehension-required attributes (below 0x8000, RFC 8489 §14) that a Binding request may carry
     * and this server reads or may ignore: the credentials of ICE connectivity checks are not used,
     * since rtmfpd's STUN is unauthenticated.
     */
    static final Set<Integer> UNDERSTOOD = Set.of(MAPPED_ADDRESS, CHANGE_REQUEST, USERNAME, MESSAGE_INTEGRITY,
            ERROR_CODE, UNKNOWN_ATTRIBUTES, REALM, NONCE, MESSAGE_INTEGRITY_SHA256, PASSWORD_ALGORITHM, USERHASH,
            XOR_MAPPED_ADDRESS, PRIORITY, USE_CANDIDATE, PADDING);

    private StunAttributes() {
    }

    /** MAPPED-ADDRESS, OTHER-ADDRESS or RESPONSE-ORIGIN (RFC 8489 §14.1). */
    public static StunMessage.Attribute address(int type, InetSocketAddress address) {
        return new StunMessage.Attribute(type, addressValue(address, null));
    }

    /** XOR-MAPPED-ADDRESS for a message of {@code transactionId} (RFC 8489 §14.2). */
    public static StunMessage.Attribute xorMappedAddress(InetSocketAddress address, byte[] transactionId) {
        return new StunMessage.Attribute(XOR_MAPPED_ADDRESS, addressValue(address, transactionId));
    }

    /** Reads an address attribute; {@code transactionId} null for the plain ones, else the message's, for XOR-MAPPED-ADDRESS. */
    public static InetSocketAddress readAddress(byte[] value, byte[] transactionId) throws StunException {
        if (value.length < 4) {
            throw new StunException(StunDrop.MALFORMED_ATTRIBUTE, "address attribute shorter than 4 bytes");
        }
        int family = value[1] & 0xFF;
        int length = family == FAMILY_IPV4 ? 4 : family == FAMILY_IPV6 ? 16 : -1;
        if (length < 0 || value.length != 4 + length) {
            throw new StunException(StunDrop.MALFORMED_ATTRIBUTE, "address attribute of unknown family or wrong length");
        }
        byte[] mask = transactionId == null ? new byte[16] : mask(transactionId);
        int port = ((value[2] & 0xFF) << 8 | (value[3] & 0xFF)) ^ ((mask[0] & 0xFF) << 8 | (mask[1] & 0xFF));
        byte[] ip = new byte[length];
        for (int i = 0; i < length; i++) {
            ip[i] = (byte) (value[4 + i] ^ mask[i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] addressValue(InetSocketAddress address, byte[] transactionId) {
        byte[] ip = address.getAddress().getAddress();
        byte[] mask = transactionId == null ? new byte[16] : mask(transactionId);
        ByteBuffer out = ByteBuffer.allocate(4 + ip.length);
        out.put((byte) 0).put((byte) (address.getAddress() instanceof Inet6Address ? FAMILY_IPV6 : FAMILY_IPV4));
        out.putShort((short) (address.getPort() ^ ((mask[0] & 0xFF) << 8 | (mask[1] & 0xFF))));
        for (int i = 0; i < ip.length; i++) {
            out.put((byte) (ip[i] ^ mask[i]));
        }
        return out.array();
    }

    /** The magic cookie, then the transaction ID: what XOR-MAPPED-ADDRESS is XORed with (RFC 8489 §14.2). */
    private static byte[] mask(byte[] transactionId) {
        return ByteBuffer.allocate(16).putInt(StunMessage.MAGIC_COOKIE).put(transactionId).array();
    }

    /** CHANGE-REQUEST with {@code flags} ({@link #CHANGE_IP}, {@link #CHANGE_PORT}). */
    public static StunMessage.Attribute changeRequest(int flags) {
        return new StunMessage.Attribute(CHANGE_REQUEST, ByteBuffer.allocate(4).putInt(flags).array());
    }

    /** The flags of a CHANGE-REQUEST value. */
    public static int changeFlags(byte[] value) throws StunException {
        if (value.length != 4) {
            throw new StunException(StunDrop.MALFORMED_ATTRIBUTE, "CHANGE-REQUEST must be 4 bytes (RFC 5780 §7.2)");
        }
        return ByteBuffer.wrap(value).getInt() & (CHANGE_IP | CHANGE_PORT);
    }

    /** SOFTWARE (RFC 8489 §14.14). */
    public static StunMessage.Attribute software(String description) {
        return new StunMessage.Attribute(SOFTWARE, description.getBytes(StandardCharsets.UTF_8));
    }

    /** ERROR-CODE (RFC 8489 §14.8): class and number, then a reason phrase. */
    public static StunMessage.Attribute errorCode(int code, String reason) {
        byte[] phrase = reason.getBytes(StandardCharsets.UTF_8);
        return new StunMessage.Attribute(ERROR_CODE, ByteBuffer.allocate(4 + phrase.length)
                .putShort((short) 0).put((byte) (code / 100)).put((byte) (code % 100)).put(phrase).array());
    }

    /** The code of an ERROR-CODE value, such as 420. */
    public static int errorCodeOf(byte[] value) throws StunException {
        if (value.length < 4) {
            throw new StunException(StunDrop.MALFORMED_ATTRIBUTE, "ERROR-CODE shorter than 4 bytes");
        }
        return (value[2] & 0x07) * 100 + (value[3] & 0xFF);
    }

    /** UNKNOWN-ATTRIBUTES (RFC 8489 §14.9) listing {@code types}. */
    public static StunMessage.Attribute unknownAttributes(java.util.List<Integer> types) {
        ByteBuffer out = ByteBuffer.allocate(2 * types.size());
        types.forEach(t -> out.putShort((short) (int) t));
        return new StunMessage.Attribute(UNKNOWN_ATTRIBUTES, out.array());
    }
}
