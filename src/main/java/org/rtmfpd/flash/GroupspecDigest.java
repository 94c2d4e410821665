package org.rtmfpd.flash;

import org.rtmfpd.rendezvous.GroupId;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.rtmfpd.wire.Vlu;
import org.rtmfpd.wire.WireException;

/**
 * Turns a NetGroup groupspec string ({@code "G:"} then hex-encoded options) into the 32-byte group
 * ID that clients put in a join, as librtmfp computes it: SHA-256 of the text from {@code "G:"} up
 * to, not including, the options' end marker {@code 00}, hashed a second time for a "v2" groupspec
 * (option type 0x7f with value 02). Not in RFC 7425; documented by Cumulus and librtmfp.
 *
 * <p>Assumptions, since no capture of Flash sending a groupspec is at hand: the options use the
 * RFC 7016 option encoding (VLU length, VLU type, value); text after the end marker (such as
 * authorization parts) does not name the group; a groupspec without an end marker is hashed whole,
 * as Cumulus hashed what it received. Text that is not {@code "G:"} and hex options throws
 * {@link WireException}.
 */
public final class GroupspecDigest {
    /** Groupspec option whose value 02 marks a v2 groupspec (librtmfp). */
    public static final int VERSION_OPTION = 0x7f;
    public static final int VERSION_2 = 0x02;

    private static final byte[] PREFIX = "G:".getBytes(StandardCharsets.US_ASCII);
    private static final int END_MARKER = 0;

    private GroupspecDigest() {
    }

    public static GroupId groupId(byte[] groupspec) {
        if (groupspec.length < PREFIX.length || groupspec[0] != PREFIX[0] || groupspec[1] != PREFIX[1]) {
            throw new WireException("groupspec does not start with \"G:\"");
        }
        int hexEnd = PREFIX.length;
        while (hexEnd + 1 < groupspec.length && hexDigit(groupspec[hexEnd]) >= 0
                && hexDigit(groupspec[hexEnd + 1]) >= 0) {
            hexEnd += 2;
        }
        ByteBuf options = Unpooled.buffer((hexEnd - PREFIX.length) / 2);
        for (int i = PREFIX.length; i < hexEnd; i += 2) {
            options.writeByte(hexDigit(groupspec[i]) << 4 | hexDigit(groupspec[i + 1]));
        }

        int named = -1;
        boolean v2 = false;
        while (options.isReadable()) {
            int start = options.readerIndex();
            long length = Vlu.read(options);
            if (length == END_MARKER) {
                named = PREFIX.length + 2 * start;
                break;
            }
            if (length > options.readableBytes()) {
                throw new WireException("groupspec option of " + length + " bytes runs past its text");
            }
            ByteBuf option = options.readSlice((int) length);
            v2 |= Vlu.read(option) == VERSION_OPTION && option.readableBytes() == 1
                    && option.readUnsignedByte() == VERSION_2;
        }
        if (named < 0) {
            if (hexEnd != groupspec.length) {
                throw new WireException("groupspec is not hex after \"G:\"");
            }
            named = groupspec.length;
        }

        MessageDigest sha256 = sha256();
        sha256.update(groupspec, 0, named);
        byte[] digest = sha256.digest();
        return GroupId.of(v2 ? sha256.digest(digest) : digest);
    }

    private static int hexDigit(byte b) {
        return Character.digit(b, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
