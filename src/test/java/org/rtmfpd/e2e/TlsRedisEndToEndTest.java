package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.e2e.TestServer.meet;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.cluster.RedisConnection;
import org.rtmfpd.cluster.TlsRedis;

/** Cluster mode over TLS ({@code rediss://}) to a redis-server with a certificate from the test's own CA. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsRedisEndToEndTest {
    @RegisterExtension
    static final TlsRedis TLS = new TlsRedis();

    @RegisterExtension
    final ClusterNodes cluster = new ClusterNodes();

    @Test
    void clientsOfTwoNodesMeetThroughRedisOverTls() throws Exception {
        TestServer one = cluster.node(1, TLS.uri(), b -> b.cluster(b.cluster().withRedisCaFile(Optional.of(TLS.ca()))));
        TestServer two = cluster.node(2, TLS.uri(), b -> b.cluster(b.cluster().withRedisCaFile(Optional.of(TLS.ca()))));
        RtmfpClient a = cluster.on(one, TestServer.KEY_A);
        RtmfpClient b = cluster.on(two, TestServer.KEY_A);
        assertEquals(b.identity().peerIdHex(), meet(a, b).peerIdHex());
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedSayingSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RedisConnection.open(TLS.uri(),
                Optional.empty(), Optional.of(TLS.wrongCa()), Duration.ofSeconds(5)).close());
        assertTrue(e.getMessage().startsWith("TLS handshake with Redis at " + TLS.uri() + " failed: its certificate is"
                + " not signed by the CAs of cluster-redis-ca-file " + TLS.wrongCa()), e.getMessage());
        IllegalStateException jdk = assertThrows(IllegalStateException.class, () -> RedisConnection.open(TLS.uri(),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(5)).close());
        assertTrue(jdk.getMessage().contains("set cluster-redis-ca-file to the CA that signed it"), jdk.getMessage());
    }

    @Test
    void aPlainUriToTheTlsPortFails() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> RedisConnection.open(
                TLS.uri().replace("rediss://", "redis://"), Optional.empty(), Duration.ofSeconds(2)).close());
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
    }
}
