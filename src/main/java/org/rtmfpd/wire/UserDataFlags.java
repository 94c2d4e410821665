package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Turns the flags byte shared by User Data and Next User Data (RFC 7016 §2.3.11, §2.3.12) into the
 * presence of the options list, which follows the fixed fields only when {@link UserData#OPT} is set
 * and then always ends with a marker.
 */
final class UserDataFlags {
    private static final int MAX_FLAGS = 0xff;

    private UserDataFlags() {
    }

    static void check(int flags, OptionList options) {
        Objects.requireNonNull(options, "options");
        if (flags < 0 || flags > MAX_FLAGS) {
            throw new IllegalArgumentException("flags must be one byte: " + flags);
        }
        if ((flags & UserData.OPT) == 0 && !options.isEmpty()) {
            throw new IllegalArgumentException("options need the OPT flag");
        }
    }

    static OptionList readOptions(int flags, ByteBuf payload) {
        return (flags & UserData.OPT) != 0 ? OptionList.read(payload, true) : OptionList.EMPTY;
    }

    static void writeOptions(int flags, OptionList options, ByteBuf out) {
        if ((flags & UserData.OPT) != 0) {
            options.writeWithMarker(out);
        }
    }
}
