package org.rtmfpd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code rtmfpd bench}'s options for clusters, parsed and checked without a server or a socket. */
class BenchCommandTest {
    /** Above Linux's largest pid_max (2^22): no such process. */
    private static final long NO_SUCH_PID = 1L << 30;

    private record Run(int exit, String out, String err) {
    }

    private static Run bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new BenchCommand());
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int exit = line.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void serverPidRepeatsAndTargetServerIsRead() {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("--server", "127.0.0.1:21971", "--target-server", "127.0.0.1:21972",
                "--server-pid", "100:node-1", "--server-pid", "101:node-2", "--server-pid", "102", "--pairs", "10");
        assertEquals(List.of("100:node-1", "101:node-2", "102"), command.serverPidSpecs);
        assertEquals("127.0.0.1:21972", command.targetServerSpec);
        BenchCommand plain = new BenchCommand();
        new CommandLine(plain).parseArgs("--server-pid", "100");
        assertEquals(List.of("100"), plain.serverPidSpecs);
        assertNull(plain.targetServerSpec);
    }

    @Test
    void aTargetServerMustBeOnLoopbackAndServeIntroductions() {
        Run elsewhere = bench("--target-server", "192.0.2.7:1935", "--pairs", "10");
        assertEquals(BenchCommand.USAGE, elsewhere.exit(), elsewhere.err());
        assertTrue(elsewhere.err().contains("not a loopback address"), elsewhere.err());
        Run noPairs = bench("--target-server", "127.0.0.1:21972");
        assertEquals(BenchCommand.USAGE, noPairs.exit(), noPairs.err());
        assertTrue(noPairs.err().contains("--target-server needs --pairs"), noPairs.err());
        Run same = bench("--server", "127.0.0.1:21971", "--target-server", "127.0.0.1:21971", "--pairs", "10");
        assertEquals(BenchCommand.USAGE, same.exit(), same.err());
        assertTrue(same.err().contains("--target-server is --server"), same.err());
    }

    @Test
    void badOrRepeatedServerPidsAreUsageErrors() {
        Run notANumber = bench("--server-pid", "node-1");
        assertEquals(BenchCommand.USAGE, notANumber.exit(), notANumber.err());
        assertTrue(notANumber.err().contains("PID or PID:NAME"), notANumber.err());
        Run twice = bench("--server-pid", "100", "--server-pid", "100:again");
        assertEquals(BenchCommand.USAGE, twice.exit(), twice.err());
        assertTrue(twice.err().contains("given twice"), twice.err());
    }

    @Test
    void anUnreadableProcessIsNamedBeforeAnythingRuns() {
        long self = ProcessHandle.current().pid();
        Run run = bench("--server-pid", self + ":node-1", "--server-pid", NO_SUCH_PID + ":node-2");
        assertEquals(BenchCommand.FAILED, run.exit(), run.err());
        assertTrue(run.err().contains("cannot read /proc/" + NO_SUCH_PID), run.err());
    }

    @Test
    void aSoakLoadsOneServer() {
        long self = ProcessHandle.current().pid();
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        Run run = bench("--soak", "1", "--metrics", "http://127.0.0.1:9/metrics", "--server-pid", Long.toString(self),
                "--server-pid", Long.toString(parent));
        assertEquals(BenchCommand.USAGE, run.exit(), run.err());
        assertTrue(run.err().contains("--soak loads one server"), run.err());
    }

    @Test
    void helpDescribesTheClusterOptions() {
        Run help = bench("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--target-server=HOST:PORT"), help.out());
        assertTrue(help.out().contains("--server-pid=PID[:NAME]"), help.out());
        assertTrue(help.out().contains("A cluster (rtmfpd serve --cluster-redis)"), help.out());
    }

    @Test
    void clientsAreSpreadOverLoopbackSourcesUnlessGiven() throws Exception {
        assertEquals("127.0.1.1-127.0.1.250",
                BenchCommand.defaultSources(new java.net.InetSocketAddress("127.0.0.1", 1935)));
        assertEquals(250, org.rtmfpd.cli.bench.LoopbackAddresses.sources(BenchCommand.DEFAULT_IPV4_SOURCES).size());
        assertEquals("::1", BenchCommand.defaultSources(new java.net.InetSocketAddress("::1", 1935)));
    }
}
