package org.rtmfpd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.rtmfpd.client.ProbeTarget;
import picocli.CommandLine;

/** {@code rtmfpd probe} against the client tests' mini server on loopback UDP: output and exit codes. */
class ProbeCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run probe(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new ProbeCommand());
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int exit = line.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void successPrintsEachStep() throws Exception {
        try (ProbeTarget server = ProbeTarget.start(false)) {
            Run run = probe(server.url("DEVKEY"), "--timeout", "5");
            assertEquals(ProbeCommand.OK, run.exit(), run.out() + run.err());
            assertTrue(run.out().contains("handshake: IHello sent to 127.0.0.1:" + server.port()), run.out());
            assertTrue(run.out().contains("server fingerprint: " + HexFormat.of().formatHex(server.fingerprint())), run.out());
            assertTrue(run.out().contains("handshake: session open"), run.out());
            assertTrue(run.out().contains("connect: NetConnection.Connect.Success"), run.out());
            assertTrue(run.out().contains("round trip: "), run.out());
            assertTrue(run.out().contains("this client's peer ID: "), run.out());
            assertTrue(run.out().endsWith("OK" + System.lineSeparator()), run.out());
        }
    }

    @Test
    void wrongKeyIsRejected() throws Exception {
        try (ProbeTarget server = ProbeTarget.start(false)) {
            Run run = probe(server.url("WRONG"), "--timeout", "5", "--hmac-sseq");
            assertEquals(ProbeCommand.REJECTED, run.exit(), run.out() + run.err());
            assertTrue(run.err().contains("NetConnection.Connect.Rejected"), run.err());
        }
    }

    @Test
    void certificateWithoutAncillaryDataIsABadCertificate() throws Exception {
        try (ProbeTarget server = ProbeTarget.start(true)) {
            Run run = probe(server.url("DEVKEY"), "--timeout", "5");
            assertEquals(ProbeCommand.BAD_CERTIFICATE, run.exit(), run.out() + run.err());
            assertTrue(run.err().startsWith("FAIL: bad server certificate"), run.err());
        }
    }

    @Test
    void silenceIsNoAnswer() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Run run = probe("rtmfp://127.0.0.1:" + silent.getLocalPort() + "/DEVKEY", "--timeout", "1.2");
            assertEquals(ProbeCommand.NO_ANSWER, run.exit(), run.out() + run.err());
            assertTrue(run.out().contains("sent again"), run.out());
            assertTrue(run.err().startsWith("FAIL: no answer"), run.err());
        }
    }

    @Test
    void unknownPeerIsNotReached() throws Exception {
        try (ProbeTarget server = ProbeTarget.start(false)) {
            Run run = probe(server.url("DEVKEY"), "--timeout", "1", "--peer", "ab".repeat(32));
            assertEquals(ProbeCommand.PEER_NOT_REACHED, run.exit(), run.out() + run.err());
            assertTrue(run.out().contains("peer: introduction requested for " + "ab".repeat(32)), run.out());
            assertTrue(run.err().startsWith("FAIL: peer not reached"), run.err());
        }
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(ProbeCommand.USAGE, probe("http://127.0.0.1/K").exit());
        assertEquals(ProbeCommand.USAGE, probe("rtmfp://127.0.0.1/K", "--peer", "abc").exit());
        assertEquals(ProbeCommand.USAGE, probe("rtmfp://127.0.0.1/K", "--no-such-option").exit());
        assertEquals(ProbeCommand.USAGE, probe().exit());
    }
}
