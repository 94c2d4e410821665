package org.rtmfpd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rtmfpd.cluster.ClusterSettings;

class ClusterConfigTest {
    private static ClusterSettings parse(String text) throws ConfigException {
        return ConfigFile.parse("rtmfpd.conf", text, ServerConfig.builder()).build().cluster();
    }

    private static String problem(String text) {
        return assertThrows(ConfigException.class, () -> parse(text)).getMessage();
    }

    @Test
    void offByDefaultWithTheDocumentedDefaults() {
        ClusterSettings c = ServerConfig.defaults().cluster();
        assertFalse(c.enabled());
        assertEquals("rtmfpd", c.namespace());
        assertEquals(Optional.empty(), c.nodeId());
        assertEquals(List.of(), c.advertise());
        assertEquals(10_000, c.nodeLifetimeMs());
        assertEquals(2_500, c.heartbeatMs());
        assertEquals(1_000, c.redisTimeoutMs());
    }

    @Test
    void everyClusterOptionIsRead() throws Exception {
        ClusterSettings c = parse("cluster-redis = redis-sentinel://10.0.0.5:26379/0?sentinelMasterId=mymaster\n"
                + "cluster-redis-password-file = /etc/rtmfpd/redis-password\ncluster-namespace = video.chat\n"
                + "node-id = rtmfp-a\nadvertise = 203.0.113.10:1935\nadvertise = [2001:db8::10]:1935\n"
                + "cluster-node-lifetime-ms = 30000\ncluster-redis-timeout-ms = 250\n");
        assertTrue(c.enabled());
        assertEquals(Optional.of("redis-sentinel://10.0.0.5:26379/0?sentinelMasterId=mymaster"), c.redis());
        assertEquals(Optional.of(Path.of("/etc/rtmfpd/redis-password")), c.redisPasswordFile());
        assertEquals("video.chat", c.namespace());
        assertEquals(Optional.of("rtmfp-a"), c.nodeId());
        assertEquals(List.of("203.0.113.10:1935", "[2001:db8::10]:1935"), c.advertise());
        assertEquals(30_000, c.nodeLifetimeMs());
        assertEquals(250, c.redisTimeoutMs());
    }

    @Test
    void badValuesSayWhatIsExpectedAndNeverShowAPassword() {
        String uri = problem("cluster-redis = http://:s3cret@10.0.0.5:6379\n");
        assertTrue(uri.startsWith("rtmfpd.conf:1: cluster-redis must be a Redis URI such as redis://"), uri);
        assertFalse(uri.contains("s3cret"), uri);
        assertTrue(problem("cluster-namespace = my space\n").contains("cluster-namespace must be 1 to 64 letters"));
        assertTrue(problem("node-id = a/b\n").contains("node-id must be 1 to 64 letters"));
        assertTrue(problem("cluster-node-lifetime-ms = 500\n").contains("from 2000 to 600000"));
        assertTrue(problem("advertise = example.com:notaport\n").startsWith("rtmfpd.conf:1: advertise"));
    }

    @Test
    void advertiseWantsAReachableIpAddress() throws ConfigException {
        String name = problem("cluster-redis = redis://127.0.0.1:6379\nadvertise = rtmfp.example.com:1935\n");
        assertTrue(name.contains("advertise: 'rtmfp.example.com:1935' is not an IP address") && name.contains("203.0.113.10"),
                name);
        assertFalse(name.contains("0.0.0.0"), "no listen-address hint for a public address: " + name);
        assertTrue(problem("cluster-redis = redis://127.0.0.1:6379\nadvertise = 0.0.0.0:1935\n")
                .contains("not an address a client can reach"));
        // One node behind a port forward uses it too (docs/nat.md): the public address of its own LAN's peers.
        assertEquals(List.of("203.0.113.10:1935"), ConfigFile.parse("rtmfpd.conf", "advertise = 203.0.113.10:1935\n",
                ServerConfig.builder()).build().cluster().advertise());
    }
}
