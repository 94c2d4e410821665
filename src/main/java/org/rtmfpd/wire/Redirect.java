package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a Responder Redirect chunk (RFC 7016 §2.3.5), {@code F(tagEcho) | address*}, into a tag echo
 * and a list of {@link PeerAddress}es and back. The addresses run to the end of the chunk; an empty
 * list tells the initiator to retry the address it sent to.
 */
public record Redirect(byte[] tagEcho, List<PeerAddress> addresses) implements Chunk {
    public static final int TYPE = 0x71; // RFC 7016 §2.3.5

    public Redirect {
        tagEcho = tagEcho.clone();
        addresses = List.copyOf(addresses);
    }

    public static Redirect decode(ByteBuf payload) {
        byte[] tagEcho = Field.read(payload);
        List<PeerAddress> addresses = new ArrayList<>();
        while (payload.isReadable()) {
            addresses.add(PeerAddress.read(payload));
        }
        return new Redirect(tagEcho, addresses);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public void encodePayload(ByteBuf out) {
        Field.write(out, tagEcho);
        for (PeerAddress address : addresses) {
            address.write(out);
        }
    }

    @Override
    public byte[] tagEcho() {
        return tagEcho.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Redirect other && Arrays.equals(tagEcho, other.tagEcho)
                && addresses.equals(other.addresses);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tagEcho) + addresses.hashCode();
    }

    @Override
    public String toString() {
        return "Redirect[tagEcho=" + ByteBufs.hex(tagEcho) + ", addresses=" + addresses + "]";
    }
}
