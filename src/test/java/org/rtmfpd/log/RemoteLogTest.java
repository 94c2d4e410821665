package org.rtmfpd.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RemoteLogTest {
    private long now = 5_000;
    private final RemoteLog log = new RemoteLog(LoggerFactory.getLogger(RemoteLogTest.class), new LogLimiter(() -> now));
    private final InetSocketAddress a = new InetSocketAddress("192.0.2.7", 4000);

    @Test
    void linesPastTheBudgetAreLeftOutAndSummedUpOnTheNextOne() {
        try (LogCapture capture = LogCapture.info(RemoteLogTest.class)) {
            for (int i = 0; i < 8; i++) {
                boolean written = log.info(a, "connect rejected: {}", i);
                assertEquals(i < LogLimiter.DEFAULT_LINES_PER_SOURCE, written);
            }
            now += LogLimiter.DEFAULT_WINDOW_MILLIS;
            assertTrue(log.warn(new InetSocketAddress("192.0.2.7", 4001), "connect rejected: {}", 8));
            assertEquals(List.of(
                    "INFO connect rejected: 0",
                    "INFO connect rejected: 1",
                    "INFO connect rejected: 2",
                    "INFO connect rejected: 3",
                    "INFO connect rejected: 4",
                    "WARN connect rejected: 8 (3 earlier lines caused by 192.0.2.7 suppressed)"), capture.lines());
        }
    }

    @Test
    void aDisabledLevelSpendsNoBudget() {
        try (LogCapture capture = LogCapture.info(RemoteLogTest.class)) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(RemoteLogTest.class))
                    .setLevel(ch.qos.logback.classic.Level.ERROR);
            for (int i = 0; i < 100; i++) {
                assertFalse(log.info(a, "x"));
            }
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(RemoteLogTest.class))
                    .setLevel(ch.qos.logback.classic.Level.INFO);
            assertTrue(log.info(a, "y"));
            assertEquals(List.of("INFO y"), capture.lines());
        }
    }
}
