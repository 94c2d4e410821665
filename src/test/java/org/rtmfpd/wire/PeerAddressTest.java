package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PeerAddressTest {

    @Test
    void readsAnObservedIpv4Address() throws Exception {
        PeerAddress address = PeerAddress.read(Bytes.buf("02 c0 a8 01 02 07 8f"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.168.1.2"), 1935), address.address());
        assertEquals(PeerAddress.Origin.OBSERVED, address.origin());
    }

    @Test
    void readsAReportedIpv6Address() throws Exception {
        PeerAddress address = PeerAddress.read(Bytes.buf("81 20010db8000000000000000000000001 c3 50"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 50000), address.address());
        assertEquals(PeerAddress.Origin.REPORTED, address.origin());
    }

    @Test
    void ignoresReservedFlagBits() {
        assertEquals(PeerAddress.Origin.RELAY, PeerAddress.read(Bytes.buf("7f 01 02 03 04 00 01")).origin());
    }

    @Test
    void keepsAnIpv4MappedIpv6AddressIpv6() {
        String hex = "8200000000000000000000ffff7f00000100 50".replace(" ", "");
        PeerAddress address = PeerAddress.read(Bytes.buf(hex));
        assertInstanceOf(Inet6Address.class, address.address().getAddress());
        ByteBuf out = Unpooled.buffer();
        address.write(out);
        assertEquals(hex, ByteBufs.hex(ByteBufs.toArray(out)));
        assertEquals(19, address.size());
    }

    @Test
    void aTruncatedAddressThrows() {
        assertThrows(WireException.class, () -> PeerAddress.read(Bytes.buf("")));
        assertThrows(WireException.class, () -> PeerAddress.read(Bytes.buf("02 c0 a8 01")));
        assertThrows(WireException.class, () -> PeerAddress.read(Bytes.buf("02 c0 a8 01 02 07")));
        assertThrows(WireException.class, () -> PeerAddress.read(Bytes.buf("80 c0 a8 01 02 07 8f")));
    }
}
