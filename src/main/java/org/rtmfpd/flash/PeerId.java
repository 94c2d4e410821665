package org.rtmfpd.flash;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;
import org.rtmfpd.wire.ByteBufs;

/**
 * Turns the 32 bytes of an RTMFP peer ID (the SHA-256 fingerprint of a peer's certificate, RFC 7425
 * §4.3.2) into an immutable value that compares by content and prints as 64 lowercase hex digits.
 */
public final class PeerId {
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private PeerId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static PeerId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a peer ID has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new PeerId(bytes.clone());
    }

    /** Parses 64 hex digits (either case). */
    public static PeerId fromHex(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a peer ID has " + 2 * LENGTH + " hex digits: " + hex);
        }
        return new PeerId(HexFormat.of().parseHex(hex));
    }

    /** Reads 32 bytes from the network, or throws {@link org.rtmfpd.wire.WireException}. */
    public static PeerId read(ByteBuf in) {
        return new PeerId(ByteBufs.read(in, LENGTH, "peer ID"));
    }

    public void write(ByteBuf out) {
        out.writeBytes(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The 64 lowercase hex digits. */
    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
