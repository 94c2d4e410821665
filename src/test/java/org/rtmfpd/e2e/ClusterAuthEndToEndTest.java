package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.cluster.RedisFailure;
import org.rtmfpd.cluster.RedisTestServer;
import org.rtmfpd.config.ConfigOption;
import org.rtmfpd.config.ServerConfig;
import org.rtmfpd.log.LogCapture;
import org.rtmfpd.rendezvous.DeveloperKeyStore;
import org.rtmfpd.server.RtmfpServer;

/** A Redis that wants a password: a missing or wrong one is named as such at once, not retried as an outage. */
class ClusterAuthEndToEndTest {
    @RegisterExtension
    static final RedisTestServer REDIS = new RedisTestServer(List.of("--requirepass", "right-password"));
    @TempDir
    Path dir;

    private IllegalStateException startWith(String passwordFileText) throws Exception {
        Path keys = dir.resolve("keys.conf");
        Files.writeString(keys, "k\n");
        ServerConfig.Builder b = ServerConfig.builder().listen(List.of(new InetSocketAddress("127.0.0.1", 0)))
                .developerKeys(keys);
        ConfigOption.CLUSTER_REDIS.apply(b, REDIS.uri());
        if (passwordFileText != null) {
            Path password = dir.resolve("redis-password");
            Files.writeString(password, passwordFileText);
            ConfigOption.CLUSTER_REDIS_PASSWORD_FILE.apply(b, password.toString());
        }
        ServerConfig config = b.build();
        DeveloperKeyStore store = DeveloperKeyStore.load(keys);
        try (LogCapture log = LogCapture.info(RtmfpServer.class)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RtmfpServer.start(config, store));
            assertTrue(!log.text().contains("attempt 1 of"), "not retried as if Redis were down: " + log.text());
            return e;
        }
    }

    @Test
    void noPasswordIsReportedAsAuthenticationAtOnce() throws Exception {
        IllegalStateException e = startWith(null);
        assertTrue(e.getMessage().startsWith("cannot use the cluster's Redis at " + REDIS.uri()
                + ": Redis refused the authentication ("), e.getMessage());
        assertTrue(e.getMessage().contains("cluster-redis-password-file"), e.getMessage());
    }

    @Test
    void aWrongPasswordIsReportedAsAuthenticationAndNeverShown() throws Exception {
        IllegalStateException e = startWith("wrong-password\n");
        assertTrue(e.getMessage().contains("Redis refused the authentication"), e.getMessage());
        assertTrue(!e.getMessage().contains("wrong-password"), e.getMessage());
    }

    @Test
    void aTransientFailureIsNotLasting() {
        assertEquals(Optional.empty(), RedisFailure.lasting(new RuntimeException("Unable to connect to 127.0.0.1:1",
                new java.net.ConnectException("Connection refused"))));
        assertTrue(RedisFailure.lasting(new RuntimeException("x", new IllegalArgumentException("Cannot build a RedisURI")))
                .orElseThrow().startsWith("the URI cannot be used (Cannot build a RedisURI)"));
    }
}
