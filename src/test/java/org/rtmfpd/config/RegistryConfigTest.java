package org.rtmfpd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rtmfpd.registry.RegistrySettings;

class RegistryConfigTest {
    private static RegistrySettings parse(String text) throws ConfigException {
        return ConfigFile.parse("rtmfpd.conf", text, ServerConfig.builder()).build().registry();
    }

    @Test
    void offByDefaultWithTheDocumentedDefaults() {
        RegistrySettings r = ServerConfig.defaults().registry();
        assertEquals(Optional.empty(), r.listen());
        assertFalse(r.open());
        assertEquals(2_100_000, r.expiryMs());
        assertEquals(List.of("*"), r.allowDomains());
        assertEquals(256, r.maxConnections());
    }

    @Test
    void everyRegistryOptionIsRead() throws Exception {
        RegistrySettings r = parse("registry-listen = 127.0.0.1:8080\nregistry-open = true\n"
                + "registry-expiry-ms = 3600000\nregistry-allow-domains = example.com, *.example.org\n"
                + "registry-max-connections = 10\n");
        assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 8080)), r.listen());
        assertTrue(r.open());
        assertEquals(3_600_000, r.expiryMs());
        assertEquals(List.of("example.com", "*.example.org"), r.allowDomains());
        assertEquals(10, r.maxConnections());
    }

    @Test
    void badValuesAreRefusedWithTheLineAndWhatToWrite() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("registry-listen = 127.0.0.1\n"
                + "registry-expiry-ms = 1000\nregistry-allow-domains = http://example.com\n"
                + "registry-max-connections = 0\n"));
        String m = e.getMessage();
        assertTrue(m.contains("rtmfpd.conf:1: registry-listen"), m);
        assertTrue(m.contains("rtmfpd.conf:2: registry-expiry-ms must be a whole number from 60000 to 86400000"), m);
        assertTrue(m.contains("rtmfpd.conf:3: registry-allow-domains: 'http://example.com' is not a domain"), m);
        assertTrue(m.contains("rtmfpd.conf:4: registry-max-connections must be a whole number from 1 to 100000"), m);
    }
}
