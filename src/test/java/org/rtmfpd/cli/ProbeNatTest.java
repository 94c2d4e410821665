package org.rtmfpd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.config.ServerConfig;
import org.rtmfpd.nat.StunSettings;
import org.rtmfpd.rendezvous.DeveloperKeyStore;
import org.rtmfpd.server.RtmfpServer;
import picocli.CommandLine;

/** {@code rtmfpd probe --nat} against a real rtmfpd on 127.0.0.1, with 127.0.0.2 as RFC 5780's second address. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeNatTest {
    @TempDir
    Path dir;

    private String[] run(ServerConfig.Builder builder) throws Exception {
        Path keys = dir.resolve("keys");
        Files.writeString(keys, "KEY\n");
        try (RtmfpServer server = RtmfpServer.start(builder.developerKeys(keys).build(), DeveloperKeyStore.load(keys))) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine line = new CommandLine(new ProbeCommand());
            line.setOut(new PrintWriter(out));
            line.setErr(new PrintWriter(err));
            int exit = line.execute("--nat", "--timeout", "5",
                    "rtmfp://127.0.0.1:" + server.localAddresses().get(0).getPort() + "/KEY");
            return new String[] {String.valueOf(exit), out.toString(), err.toString()};
        }
    }

    private static int port2() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket a = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0));
                    DatagramSocket b = new DatagramSocket(new InetSocketAddress("127.0.0.1", a.getLocalPort()))) {
                return a.getLocalPort();
            } catch (java.net.BindException taken) {
                // another
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 and 127.0.0.2");
    }

    @Test
    void withASecondAddressItTellsMappingAndFilteringAndConnectsFromTheSameSocket() throws Exception {
        ServerConfig.Builder b = ServerConfig.builder().addListen(new InetSocketAddress("127.0.0.1", 0))
                .stun(StunSettings.DEFAULTS.withAlternate(Optional.of(new InetSocketAddress("127.0.0.2", port2()))));
        String[] r = run(b);
        assertEquals("0", r[0], r[1] + r[2]);
        String out = r[1];
        for (String line : new String[] {"udp: reachable", "nat: none", "mapping: endpoint-independent",
                "filtering: endpoint-independent", "hairpinning: yes", "direct to symmetric: yes",
                "p2p with common home routers: expected", "connect: NetConnection.Connect.Success"}) {
            assertTrue(out.contains(System.lineSeparator() + line), line + " in:\n" + out);
        }
        assertTrue(out.contains("nat: filtering test II: change IP and port: mapped 127.0.0.1:"), out);
    }

    @Test
    void aServerWithoutStunLeavesTheVerdictOpen() throws Exception {
        ServerConfig.Builder b = ServerConfig.builder().addListen(new InetSocketAddress("127.0.0.1", 0))
                .stun(StunSettings.DEFAULTS.withEnabled(false));
        String[] r = run(b);
        assertEquals(String.valueOf(ProbeCommand.P2P_UNKNOWN), r[0], r[1] + r[2]);
        assertTrue(r[1].contains(System.lineSeparator() + "udp: no answer"), r[1]);
        assertTrue(r[1].contains("connect: NetConnection.Connect.Success"), r[1]);
        assertTrue(r[2].contains("the server answers no STUN"), r[2]);
    }
}
