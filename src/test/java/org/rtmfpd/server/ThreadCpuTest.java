package org.rtmfpd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Threads' CPU time by role: the role names, and a series that keeps an ended thread's time. */
class ThreadCpuTest {
    @Test
    void aRoleIsTheNameWithoutTheNumbersThreadFactoriesAdd() {
        assertEquals("rtmfpd-loop", ThreadCpu.role("rtmfpd-loop-1-1"));
        assertEquals("rtmfpd-keying", ThreadCpu.role("rtmfpd-keying"));
        assertEquals("pool-3-thread", ThreadCpu.role("pool-3-thread-7"));
        assertEquals("C2 CompilerThread", ThreadCpu.role("C2 CompilerThread0"));
        assertEquals("42", ThreadCpu.role("42"));
    }

    @Test
    void aThreadThatEndedKeepsItsTimeInItsRole() throws InterruptedException {
        ThreadCpu cpu = new ThreadCpu();
        assumeTrue(cpu.supported(), "this JVM does not measure thread CPU time");
        String role = "threadcputest-burner";
        CountDownLatch burned = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        long[] sink = new long[1];
        Thread burner = new Thread(() -> {
            long until = System.nanoTime() + 30_000_000;
            long x = 0;
            while (System.nanoTime() < until) {
                x += Long.numberOfTrailingZeros(x + 1);
            }
            sink[0] = x;
            burned.countDown();
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, role + "-1");
        burner.start();
        burned.await();
        long alive = cpu.byRole().getOrDefault(role, 0L);
        assertTrue(alive > 0, "the live thread's time is read: " + alive);
        end.countDown();
        burner.join();
        Map<String, Long> after = cpu.byRole();
        assertTrue(after.getOrDefault(role, 0L) >= alive, "the ended thread's time stays: " + after.get(role) + " < " + alive);
    }
}
