package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A socket address as carried in Redirect and Forwarded IHello chunks (RFC 7016 §2.1.5):
 * {@code flags(1) | IPv4 (4) or IPv6 (16) | port (16)}. Flag 0x80 marks IPv6; the low two bits give
 * the origin.
 */
public record PeerAddress(InetSocketAddress address, Origin origin) {
    private static final int FLAG_IPV6 = 0x80;
    private static final int ORIGIN_MASK = 0x03;

    /** Where an address came from (RFC 7016 §2.1.5). */
    public enum Origin {
        UNKNOWN, REPORTED, OBSERVED, RELAY;

        static Origin of(int bits) {
            return values()[bits & ORIGIN_MASK];
        }
    }

    public PeerAddress {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
    }

    public static PeerAddress read(ByteBuf in) {
        if (!in.isReadable()) {
            throw new WireException("address is missing its flags byte");
        }
        int flags = in.readUnsignedByte();
        byte[] ip = ByteBufs.read(in, (flags & FLAG_IPV6) != 0 ? 16 : 4, "address");
        if (in.readableBytes() < 2) {
            throw new WireException("address is missing its port");
        }
        int port = in.readUnsignedShort();
        try {
            return new PeerAddress(new InetSocketAddress(InetAddress.getByAddress(ip), port), Origin.of(flags));
        } catch (UnknownHostException e) {
            throw new WireException("address has a bad length");
        }
    }

    public void write(ByteBuf out) {
        byte[] ip = address.getAddress().getAddress();
        out.writeByte((ip.length == 16 ? FLAG_IPV6 : 0) | origin.ordinal());
        out.writeBytes(ip);
        out.writeShort(address.getPort());
    }

    public int size() {
        return 1 + address.getAddress().getAddress().length + 2;
    }
}
