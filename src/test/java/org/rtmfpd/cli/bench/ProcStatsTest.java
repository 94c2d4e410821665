package org.rtmfpd.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProcStatsTest {
    /** A real line of /proc/PID/stat (a JVM), utime 1234 and stime 567 in fields 14 and 15. */
    private static final String STAT = "4242 (java) S 1 4242 4242 0 -1 4194560 95066 0 12 0 1234 567 0 0 20 0 31 0 "
            + "1764 5271781376 110873 18446744073709551615 94250189836288 94250189836993 140722858318544 0 0 0 0 16781312 "
            + "16386 0 0 0 17 1 0 0 0 0 0 94250189848944 94250189849600 94250217213952 140722858324283 140722858324402 "
            + "140722858324402 140722858328043 0\n";

    @Test
    void cpuTicksAreUtimePlusStime() {
        assertEquals(1234 + 567, ProcStats.cpuTicks(STAT));
        assertEquals(567, ProcStats.systemTicks(STAT));
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String odd = STAT.replace("(java)", "(a) b (c d))");
        assertEquals(1234 + 567, ProcStats.cpuTicks(odd));
    }

    @Test
    void shortOrForeignTextIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProcStats.cpuTicks("no parenthesis here"));
        assertThrows(IllegalArgumentException.class, () -> ProcStats.cpuTicks("1 (x) S 1 2"));
    }

    @Test
    void residentMemoryIsVmRssInKiB() {
        String status = "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nVmPeak:\t 5271784 kB\nVmSize:\t 5271780 kB\n"
                + "VmHWM:\t  443496 kB\nVmRSS:\t  443492 kB\nRssAnon:\t  420000 kB\nThreads:\t31\n";
        assertEquals(443492, ProcStats.rssKiB(status));
        assertThrows(IllegalArgumentException.class, () -> ProcStats.rssKiB("Name:\tkthreadd\nThreads:\t1\n"));
    }

    @Test
    void threadsComeFromTheThreadsLine() {
        String status = "Name:\tjava\nVmRSS:\t  443492 kB\nThreads:\t31\nSigQ:\t0/94568\n";
        assertEquals(31, ProcStats.threads(status));
        assertThrows(IllegalArgumentException.class, () -> ProcStats.threads("Name:\tjava\nVmRSS:\t 1 kB\n"));
    }

    @Test
    void readsThisProcess() throws IOException {
        ProcStats stats = new ProcStats(ProcessHandle.current().pid(), ProcStats.DEFAULT_TICKS_PER_SECOND);
        ProcStats.Sample sample = stats.read();
        assertTrue(sample.rssBytes() > 0);
        assertTrue(sample.cpuNanos() >= 0);
        assertTrue(stats.threads() >= Thread.activeCount(), "threads " + stats.threads());
        java.nio.channels.DatagramChannel.open().close(); // loads what the first channel needs
        long files = stats.openFiles();
        try (java.nio.channels.DatagramChannel extra = java.nio.channels.DatagramChannel.open()) {
            assertEquals(files + 1, stats.openFiles());
        }
    }
}
