package org.rtmfpd.wire;

import io.netty.buffer.ByteBuf;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Turns the socket address carried in Redirect and Forwarded IHello chunks (RFC 7016 §2.1.5),
 * {@code flags(1) | IPv4 (4) or IPv6 (16) | port (16)}, into an {@link InetSocketAddress} and back.
 * Flag 0x80 marks IPv6; the low two bits give the origin; the other bits are reserved and ignored.
 */
public record PeerAddress(InetSocketAddress address, Origin origin) {
    private static final int FLAG_IPV6 = 0x80; // RFC 7016 §2.1.5
    private static final int ORIGIN_MASK = 0x03; // RFC 7016 §2.1.5
    private static final int IPV4_LENGTH = 4;
    private static final int IPV6_LENGTH = 16;
    private static final int NO_SCOPE = -1;

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

    /** Reads one address; throws {@link WireException} if it runs past the readable bytes. */
    public static PeerAddress read(ByteBuf in) {
        int flags = ByteBufs.readUnsignedByte(in, "address flags");
        boolean v6 = (flags & FLAG_IPV6) != 0;
        byte[] ip = ByteBufs.read(in, v6 ? IPV6_LENGTH : IPV4_LENGTH, "address");
        int port = ByteBufs.readUnsignedShort(in, "address port");
        return new PeerAddress(new InetSocketAddress(toInetAddress(ip, v6), port), Origin.of(flags));
    }

    /**
     * Keeps an IPv6 address IPv6 even when it is IPv4-mapped ({@code ::ffff:a.b.c.d}), which
     * {@link InetAddress#getByAddress(byte[])} would turn into IPv4.
     */
    private static InetAddress toInetAddress(byte[] ip, boolean v6) {
        try {
            return v6 ? Inet6Address.getByAddress(null, ip, NO_SCOPE) : InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + ip.length + " bytes is always valid", e);
        }
    }

    public void write(ByteBuf out) {
        byte[] ip = address.getAddress().getAddress();
        out.writeByte((ip.length == IPV6_LENGTH ? FLAG_IPV6 : 0) | origin.ordinal());
        out.writeBytes(ip);
        out.writeShort(address.getPort());
    }

    public int size() {
        return 1 + address.getAddress().getAddress().length + 2;
    }
}
