package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.config.ConfigOption;
import org.rtmfpd.config.ServerConfig;
import org.rtmfpd.rendezvous.DeveloperKeyStore;
import org.rtmfpd.server.ListenException;
import org.rtmfpd.server.MetricsEndpoint;
import org.rtmfpd.server.RtmfpServer;
import org.rtmfpd.server.ServerMetrics;

/** An address that cannot be bound is named with the option that asked for it, in one line. */
class StartupErrorsEndToEndTest {
    private static final String HINT = " (is another server on that port, or is the address not on this host?)";
    @TempDir
    Path dir;

    private DeveloperKeyStore keys() throws Exception {
        Path file = dir.resolve("keys.conf");
        Files.writeString(file, "k\n");
        return DeveloperKeyStore.load(file);
    }

    @Test
    void aBusyRegistryPortNamesRegistryListenAndItsAddress() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerConfig.Builder b = ServerConfig.builder().listen(java.util.List.of(new InetSocketAddress("127.0.0.1", 0)));
            ConfigOption.REGISTRY_LISTEN.apply(b, "127.0.0.1:" + busy.getLocalPort());
            ListenException e = assertThrows(ListenException.class, () -> RtmfpServer.start(b.build(), keys()));
            assertEquals("cannot listen on 127.0.0.1:" + busy.getLocalPort() + " (registry-listen): Address already in use"
                    + HINT, e.getMessage());
        }
    }

    @Test
    void aBusyUdpPortNamesListen() throws Exception {
        try (DatagramSocket busy = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            InetSocketAddress taken = new InetSocketAddress("127.0.0.1", busy.getLocalPort());
            ServerConfig config = ServerConfig.builder().listen(java.util.List.of(taken)).build();
            ListenException e = assertThrows(ListenException.class, () -> RtmfpServer.start(config, keys()));
            assertEquals("cannot listen on 127.0.0.1:" + busy.getLocalPort() + " (listen): Address already in use" + HINT,
                    e.getMessage());
        }
    }

    @Test
    void aBusyMetricsPortNamesMetricsListen() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress taken = new InetSocketAddress("127.0.0.1", busy.getLocalPort());
            ListenException e = assertThrows(ListenException.class, () -> MetricsEndpoint.start(taken, new ServerMetrics()));
            assertEquals("cannot listen on 127.0.0.1:" + busy.getLocalPort() + " (metrics-listen): Address already in use"
                    + HINT, e.getMessage());
        }
    }
}
