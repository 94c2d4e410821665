package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.cli.BenchCommand;
import picocli.CommandLine;

/** README's bench command against a server on its defaults: it passes as given, and fails loudly when the server refuses. */
class BenchEndToEndTest {
    @TempDir
    Path dir;
    private TestServer server;

    private record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run bench(String key, String... more) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new BenchCommand());
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        String[] args = new String[6 + more.length];
        System.arraycopy(new String[] {"--server", "127.0.0.1:" + server.address.getPort(), "--key", key, "--hold", "0"},
                0, args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        int exit = line.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /**
     * 120 connects at the default --rate 1000 are three times what one source address may start on a
     * server's defaults (a burst of 40 IIKeyings): the default sources spread them so that all succeed.
     */
    @Test
    void theDefaultSourcesTakeTheDefaultRateOnAServerOnItsDefaults() {
        Run run = bench(TestServer.KEY_A, "--clients", "120", "--timeout", "10");
        assertEquals(BenchCommand.OK, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("connect") && !run.out().contains("\nfailures"), run.out());
        assertTrue(run.out().contains("(derived client keys)"), run.out());
        assertTrue(run.out().contains("connect: latency from the schedule p50 ") && run.out().contains("the bench's lag p50 ")
                && run.out().contains("offered "), run.out());
        assertTrue(run.out().contains("connect: bench CPU ") && run.out().contains("event loops "), run.out());
    }

    @Test
    void independentClientKeysStillConnect() {
        Run run = bench(TestServer.KEY_A, "--clients", "4", "--timeout", "10", "--no-derived-client-keys");
        assertEquals(BenchCommand.OK, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("(independent client keys)"), run.out());
    }

    @Test
    void operationsTheServerRefusesMakeTheBenchFail() {
        Run run = bench("no-such-key", "--clients", "3", "--timeout", "10");
        assertEquals(BenchCommand.OPERATIONS_FAILED, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("rejected"), run.out());
    }
}
