package org.rtmfpd.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --server-pid PID[:NAME]}, repeatable, and the probe that sums the processes' CPU time. */
class ServerProcessTest {
    /** Above Linux's largest pid_max (2^22): no such process. */
    private static final long NO_SUCH_PID = 1L << 30;

    @Test
    void aPidAloneOrWithAName() {
        assertEquals(new ServerProcess(4242, null), ServerProcess.parse("4242"));
        assertEquals(new ServerProcess(4242, "node-1"), ServerProcess.parse(" 4242:node-1 "));
        assertEquals("pid 4242", ServerProcess.parse("4242").describe());
        assertEquals("pid 4243 (redis.server_1)", ServerProcess.parse("4243:redis.server_1").describe());
    }

    @Test
    void refusesWhatIsNotAPidOrAName() {
        for (String bad : new String[] {"", "node-1", "0", "-5", "12x", "4242:", "4242:a b", "4242:a:b", ":node",
            "4242:" + "n".repeat(ServerProcess.MAX_NAME + 1)}) {
            assertThrows(IllegalArgumentException.class, () -> ServerProcess.parse(bad), bad);
        }
    }

    @Test
    void severalInTheOrderGivenNoneTwice() {
        assertEquals(List.of(), ServerProcess.parseAll(null));
        assertEquals(List.of(new ServerProcess(10, "node-1"), new ServerProcess(11, "node-2"), new ServerProcess(9, null)),
                ServerProcess.parseAll(List.of("10:node-1", "11:node-2", "9")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerProcess.parseAll(List.of("10:node-1", "10:again")));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void theProbeReadsEachProcessAndSumsTheirCpu() throws IOException {
        long self = ProcessHandle.current().pid();
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        ServerProbe probe = new ServerProbe(List.of(new ServerProcess(self, "a"), new ServerProcess(parent, "b")), null, true,
                line -> { });
        probe.checkProcess();
        assertTrue(probe.hasProcess());
        assertEquals(2, probe.processes().size());
        ProcStats.Sample[] each = probe.cpuEach();
        assertNotNull(each);
        assertEquals(2, each.length);
        ProcStats.Sample sum = ProcStats.sum(each);
        assertEquals(each[0].cpuNanos() + each[1].cpuNanos(), sum.cpuNanos());
        assertEquals(each[0].rssBytes(), sum.rssBytes(), "memory is the first process's");
        assertTrue(probe.cpu().cpuNanos() >= sum.cpuNanos(), "CPU time only grows");
        assertTrue(probe.threads() > 0, "threads are the first process's");
    }

    @Test
    void oneUnreadableProcessSpoilsTheReadingAndIsNamed() {
        long self = ProcessHandle.current().pid();
        ServerProbe probe = new ServerProbe(List.of(new ServerProcess(self, null), new ServerProcess(NO_SUCH_PID, null)), null,
                false, line -> { });
        assertNull(probe.cpuEach());
        assertNull(probe.cpu());
        IOException e = assertThrows(IOException.class, probe::checkProcess);
        assertTrue(e.getMessage().contains("/proc/" + NO_SUCH_PID), e.getMessage());
    }

    @Test
    void withoutProcessesNothingIsRead() {
        ServerProbe probe = new ServerProbe(new ArrayList<>(), URI.create("http://127.0.0.1:9/metrics"), true, line -> { });
        assertTrue(!probe.hasProcess());
        assertNull(probe.cpu());
        assertTrue(!probe.collectsBeforeHeap());
        assertEquals(-1, probe.threads());
    }
}
