package org.rtmfpd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    static InetSocketAddress at(String spec) {
        return ListenAddress.parse(spec, 1935);
    }

    @Test
    void defaultsServeOutOfTheBox() {
        ServerConfig c = ServerConfig.defaults();
        assertEquals(List.of(at("0.0.0.0:1935")), c.listen());
        assertEquals(Path.of("config/developer-keys.conf"), c.developerKeys());
        assertEquals(5, c.peerCap());
        assertEquals(List.of(2, 5, 14), c.dhGroups());
        assertEquals(15_000, c.serverKeepaliveMs());
        assertEquals(10_000, c.peerKeepaliveMs());
        assertEquals(16, c.dhQueueLimit());
        assertEquals(Optional.empty(), c.metricsListen());
        assertEquals(Optional.empty(), c.logConfig());
        assertFalse(c.openIntroductions());
    }

    @Test
    void openIntroductionsIsAFlag() {
        ConfigOption o = ConfigOption.OPEN_INTRODUCTIONS;
        assertTrue(o.isFlag());
        assertEquals("--open-introductions", o.longOption());
        assertEquals("--no-open-introductions", o.negatedLongOption());
        assertEquals("true|false", o.valueLabel());
        ServerConfig.Builder b = ServerConfig.builder();
        o.apply(b, "true");
        assertTrue(b.build().openIntroductions());
        o.apply(b, " false ");
        assertFalse(b.build().openIntroductions());
        assertEquals("open-introductions must be true or false, got '1'",
                assertThrows(IllegalArgumentException.class, () -> o.apply(b, "1")).getMessage());
    }

    @Test
    void onlyTheOnOffSettingsAreFlags() {
        for (ConfigOption o : ConfigOption.values()) {
            assertEquals(o == ConfigOption.OPEN_INTRODUCTIONS || o == ConfigOption.REGISTRY_OPEN || o == ConfigOption.STUN,
                    o.isFlag(),
                    o.optionName());
        }
        assertThrows(IllegalStateException.class, ConfigOption.PEER_CAP::negatedLongOption);
    }

    @Test
    void addListenReplacesTheDefaultThenAccumulates() {
        ServerConfig c = ServerConfig.builder().addListen(at("127.0.0.1:1")).addListen(at("[::1]:1")).build();
        assertEquals(List.of(at("127.0.0.1:1"), at("[::1]:1")), c.listen());
    }

    @Test
    void aNewLayerReplacesTheListenList() {
        ServerConfig.Builder b = ServerConfig.builder().addListen(at("127.0.0.1:1")).addListen(at("127.0.0.1:2"));
        b.resetListen();
        assertEquals(List.of(at("127.0.0.1:1"), at("127.0.0.1:2")), b.build().listen(), "kept when not given again");
        b.addListen(at("127.0.0.1:3"));
        assertEquals(List.of(at("127.0.0.1:3")), b.build().listen());
    }

    @Test
    void duplicateListenAddressIsRefused() {
        ServerConfig.Builder b = ServerConfig.builder().addListen(at("127.0.0.1:1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.addListen(at("127.0.0.1:1")));
        assertEquals("127.0.0.1:1 is already listed", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().listen(List.of(at("127.0.0.1:1"), at("127.0.0.1:1"))).build());
    }

    @Test
    void toBuilderKeepsEverything() {
        ServerConfig c = ServerConfig.builder().addListen(at("[::]:1935")).peerCap(50).dhGroups(List.of(16, 14, 2))
                .serverKeepaliveMs(20_000).peerKeepaliveMs(6_000).dhQueueLimit(4)
                .metricsListen(Optional.of(at("127.0.0.1:9935"))).logConfig(Optional.of(Path.of("l.xml")))
                .developerKeys(Path.of("/etc/rtmfpd/keys.conf")).build();
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void rangesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().peerCap(0).build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().peerCap(10_001).build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().serverKeepaliveMs(4_999).build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().peerKeepaliveMs(3_600_001).build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().dhQueueLimit(0).build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().dhGroups(List.of()).build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().dhGroups(List.of(1)).build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().dhGroups(List.of(2, 2)).build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().listen(List.of()).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().peerCap(0).build());
        assertTrue(e.getMessage().startsWith("peer-cap must be from 1 to 10000"), e.getMessage());
    }

    @Test
    void listsAreImmutable() {
        ServerConfig c = ServerConfig.defaults();
        assertThrows(UnsupportedOperationException.class, () -> c.listen().add(at("1.2.3.4:1")));
        assertThrows(UnsupportedOperationException.class, () -> c.dhGroups().add(16));
    }

    @Test
    void stunAlternateNeedsANamedListenAddressAndDiffersInAddressAndPort() {
        ServerConfig.Builder b = ServerConfig.builder();
        ConfigOption.STUN_ALTERNATE.apply(b, "127.0.0.2:3479");
        assertEquals("stun-alternate needs the listen address to name the first IP (such as listen = 192.0.2.1:1935),"
                + " not 0.0.0.0:1935", assertThrows(IllegalArgumentException.class, b::build).getMessage());
        ConfigOption.LISTEN.apply(b, "127.0.0.1:3478");
        assertEquals(java.util.Optional.of(new java.net.InetSocketAddress("127.0.0.2", 3479)), b.build().stun().alternate());
        ConfigOption.STUN_ALTERNATE.apply(b, "127.0.0.2:3478");
        assertTrue(assertThrows(IllegalArgumentException.class, b::build).getMessage()
                .startsWith("stun-alternate must differ from the listen address 127.0.0.1:3478 in both IP address and port"));
        ConfigOption.STUN_ALTERNATE.apply(b, "[::1]:3479");
        assertTrue(assertThrows(IllegalArgumentException.class, b::build).getMessage().contains("needs a listen address of its family"));
        ConfigOption.STUN_ALTERNATE.apply(b, "127.0.0.2:3479");
        ConfigOption.STUN.apply(b, "false");
        assertTrue(assertThrows(IllegalArgumentException.class, b::build).getMessage().startsWith("stun-alternate is set but stun is off"));
        assertTrue(ServerConfig.defaults().stun().enabled());
    }
}
