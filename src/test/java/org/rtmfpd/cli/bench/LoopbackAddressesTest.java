package org.rtmfpd.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopbackAddressesTest {
    @Test
    void serverOnLoopbackWithOrWithoutPort() {
        assertEquals(new InetSocketAddress("127.0.0.1", 19350), LoopbackAddresses.server("127.0.0.1:19350", 1935));
        assertEquals(new InetSocketAddress("127.0.0.1", 1935), LoopbackAddresses.server("127.0.0.1", 1935));
        assertEquals(new InetSocketAddress("::1", 2000), LoopbackAddresses.server("[::1]:2000", 1935));
        assertEquals(1935, LoopbackAddresses.server("::1", 1935).getPort());
    }

    @Test
    void refusesAServerElsewhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoopbackAddresses.server("192.0.2.7:1935", 1935));
        assertTrue(e.getMessage().contains("not a loopback address"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoopbackAddresses.server("127.0.0.1:0", 1935));
        assertThrows(IllegalArgumentException.class, () -> LoopbackAddresses.server("127.0.0.1:x", 1935));
    }

    @Test
    void sourceRangesAndLists() throws Exception {
        List<InetAddress> range = LoopbackAddresses.sources("127.0.0.2-127.0.0.50");
        assertEquals(49, range.size());
        assertEquals(InetAddress.getByName("127.0.0.2"), range.get(0));
        assertEquals(InetAddress.getByName("127.0.0.50"), range.get(48));
        assertEquals(List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.1.255"),
                        InetAddress.getByName("127.0.2.0")),
                LoopbackAddresses.sources("127.0.0.1, 127.0.1.255-127.0.2.0"));
    }

    @Test
    void refusesSourcesOffLoopbackBackwardsOrTooMany() {
        assertThrows(IllegalArgumentException.class, () -> LoopbackAddresses.sources("10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> LoopbackAddresses.sources("127.0.0.9-127.0.0.2"));
        assertThrows(IllegalArgumentException.class, () -> LoopbackAddresses.sources("126.255.255.255-127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> LoopbackAddresses.sources("127.0.0.1-127.0.255.255"));
        assertThrows(IllegalArgumentException.class, () -> LoopbackAddresses.sources(" , "));
    }
}
