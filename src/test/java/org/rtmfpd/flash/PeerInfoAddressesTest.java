package org.rtmfpd.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PeerInfoAddressesTest {

    private static InetSocketAddress address(String hexIp, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByAddress(Hex.bytes(hexIp)), port);
    }

    @ParameterizedTest
    @CsvSource({
        "192.168.1.5:1935, c0a80105, 1935",
        "10.0.0.1:1, 0a000001, 1",
        "255.255.255.255:65535, ffffffff, 65535",
        "'[2001:db8::1]:50000', 20010db8000000000000000000000001, 50000",
        "'[::1]:1935', 00000000000000000000000000000001, 1935",
        "'[fec0::1]:1935', fec00000000000000000000000000001, 1935",
    })
    void numericAddressesParse(String text, String hexIp, int port) throws UnknownHostException {
        assertEquals(Optional.of(address(hexIp, port)), PeerInfoAddresses.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "localhost:1935", "example.com:80", "192.168.1.5", "192.168.1.5:", "192.168.1.5:0",
        "192.168.1.5:65536", "192.168.1.5:-1", "192.168.1.5:+80", "192.168.1.5:1e3", "192.168.1.5:999999",
        "192.168.1:1935", "256.1.1.1:1935", " 1.2.3.4:1935", "1.2.3.4 :1935",
        "2001:db8::1:1935", "[2001:db8::1%eth0]:1935", "[fe80::1]:1935", "[febf::1]:1935", "[fe80::1%4]:1935",
        "[[::1]]:1935", "[1.2.3.4]:1935", "[::1]1935", "", ":", "[]:1935",
    })
    void everythingElseIsSkipped(String text) {
        assertEquals(Optional.empty(), PeerInfoAddresses.parse(text));
    }

    @Test
    void commandArgumentsAreFilteredDeduplicatedAndCapped() throws UnknownHostException {
        List<Object> arguments = new ArrayList<>(List.of("192.168.1.5:1935", "[fe80::1%en0]:1935", "192.168.1.5:1935"));
        arguments.add(null);
        arguments.add(3.0);
        arguments.add("[2001:db8::1]:1935");
        Command setPeerInfo = new Command(PeerInfoAddresses.COMMAND, 0, null, arguments);
        assertEquals(List.of(address("c0a80105", 1935), address("20010db8000000000000000000000001", 1935)),
                PeerInfoAddresses.of(setPeerInfo));

        List<Object> many = new ArrayList<>();
        for (int port = 1; port <= PeerInfoAddresses.MAX_ADDRESSES + 5; port++) {
            many.add("10.0.0.1:" + port);
        }
        List<InetSocketAddress> kept = PeerInfoAddresses.of(new Command(PeerInfoAddresses.COMMAND, 0, null, many));
        assertEquals(PeerInfoAddresses.MAX_ADDRESSES, kept.size());
        assertEquals(PeerInfoAddresses.MAX_ADDRESSES, kept.get(kept.size() - 1).getPort());
    }

    /** librtmfp writes setPeerInfo with no null command object: its first address is where the object would be. */
    @Test
    void librtmfpsSetPeerInfoWithoutTheNullCommandObjectKeepsItsFirstAddress() throws UnknownHostException {
        byte[] message = Hex.bytes("14 00000000 02 000b 73657450656572496e666f 00 0000000000000000 02 000e 3132372e302e302e313a35303030 02 0010 3139322e3136382e312e353a35303030");
        Command setPeerInfo = Command.from(TcMessage.parse(message));
        assertEquals(List.of(address("7f000001", 5000), address("c0a80105", 5000)), PeerInfoAddresses.of(setPeerInfo));
    }
}
