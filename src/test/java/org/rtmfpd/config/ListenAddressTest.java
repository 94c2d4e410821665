package org.rtmfpd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ListenAddressTest {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0:1935,      0.0.0.0:1935",
            "127.0.0.1:19350,   127.0.0.1:19350",
            "':1935',           0.0.0.0:1935",
            "1935,              0.0.0.0:1935",
            "'*:1936',          0.0.0.0:1936",
            "192.0.2.7,         192.0.2.7:1935",
            "localhost:5000,    127.0.0.1:5000",
            "localhost,         127.0.0.1:1935",
            "'[::]:1935',       '[::]:1935'",
            "'[::1]',           '[::1]:1935'",
            "'[2001:db8::5]:0', '[2001:db8::5]:0'",
            "'[2001:db8:0:0:0:0:0:10]:1935', '[2001:db8::10]:1935'",
            "'  10.0.0.1:1  ',  10.0.0.1:1",
            "0.0.0.0:65535,     0.0.0.0:65535",
    })
    void acceptedForms(String spec, String expected) {
        assertEquals(expected, ListenAddress.format(ListenAddress.parse(spec, 1935)));
    }

    @Test
    void formatReadsBack() {
        for (String s : new String[] {"0.0.0.0:1935", "[::]:1935", "203.0.113.9:40000", "[fe80::1]:7"}) {
            InetSocketAddress a = ListenAddress.parse(s, 1935);
            assertEquals(a, ListenAddress.parse(ListenAddress.format(a), 1));
        }
    }

    @Test
    void hostNamesAreNotLookedUp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ListenAddress.parse("example.org:1935", 1935));
        assertEquals("bad address 'example.org:1935': 'example.org' is not an IP address; rtmfpd does not look up"
                + " host names, so give a numeric address such as 0.0.0.0, 127.0.0.1 or [::]", e.getMessage());
    }

    @Test
    void bareIpv6IsExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("::1", 1935));
        assertTrue(e.getMessage().contains("in brackets, as in [::]:1935"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.4:", "1.2.3.4:65536",
            "1.2.3.4:-1", "1.2.3.4:http", "[::1", "[::1]1935", "[::1]:x", "[fe80::1%eth0]:1", "[1.2.3.4]:1",
            "[]:1", "[::g]:1", "99999", "host", "1.2.3.4:1935:1"})
    void rejected(String spec) {
        assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(spec, 1935));
    }

    @Test
    void portCanBeRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ListenAddress.parse("127.0.0.1", -1));
        assertTrue(e.getMessage().contains("a port is needed"), e.getMessage());
        assertEquals(9935, ListenAddress.parse("127.0.0.1:9935", -1).getPort());
    }
}
