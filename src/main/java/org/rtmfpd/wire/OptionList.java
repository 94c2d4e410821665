package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Turns an option list (RFC 7016 §2.1.4) into an ordered list of {@link Option}s and back.
 * Certificates, endpoint discriminators and keying components are lists without a final marker;
 * user-data options end with a marker.
 */
public record OptionList(List<Option> options) {
    /** An option of length zero: it ends a list. */
    public static final int MARKER = 0;
    /** The list with no options. */
    public static final OptionList EMPTY = new OptionList(List.of());

    public OptionList {
        options = List.copyOf(options);
    }

    public static OptionList of(Option... options) {
        return new OptionList(List.of(options));
    }

    /**
     * Reads options until a marker (consumed) or until the buffer ends. With {@code markerRequired},
     * reaching the end without a marker is an error.
     */
    public static OptionList read(ByteBuf in, boolean markerRequired) {
        List<Option> list = new ArrayList<>();
        while (in.isReadable()) {
            int length = Vlu.readInt(in);
            if (length == MARKER) {
                return new OptionList(list);
            }
            if (length > in.readableBytes()) {
                throw new WireException("option of " + length + " bytes runs past its list ("
                        + in.readableBytes() + " left)");
            }
            ByteBuf body = in.readSlice(length);
            int type = Vlu.readInt(body);
            byte[] value = new byte[body.readableBytes()];
            body.readBytes(value);
            list.add(new Option(type, value));
        }
        if (markerRequired) {
            throw new WireException("option list has no end marker");
        }
        return new OptionList(list);
    }

    /** Parses a whole byte array as a list without marker (certificate, EPD, keying component). */
    public static OptionList parse(byte[] bytes) {
        return read(Unpooled.wrappedBuffer(bytes), false);
    }

    public void write(ByteBuf out) {
        for (Option option : options) {
            option.write(out);
        }
    }

    public void writeWithMarker(ByteBuf out) {
        write(out);
        Vlu.write(out, MARKER);
    }

    public byte[] toBytes() {
        ByteBuf buf = Unpooled.buffer(size());
        write(buf);
        return ByteBufs.toArray(buf);
    }

    public int size() {
        int n = 0;
        for (Option option : options) {
            n += option.size();
        }
        return n;
    }

    public Optional<Option> first(int type) {
        for (Option option : options) {
            if (option.type() == type) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }

    public List<Option> all(int type) {
        List<Option> found = new ArrayList<>();
        for (Option option : options) {
            if (option.type() == type) {
                found.add(option);
            }
        }
        return Collections.unmodifiableList(found);
    }

    public boolean isEmpty() {
        return options.isEmpty();
    }
}
