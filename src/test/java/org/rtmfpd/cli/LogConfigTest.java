package org.rtmfpd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.config.LogFormat;

/** A log-config that logback cannot use in full is refused, with the reason, instead of leaving rtmfpd silent. */
class LogConfigTest {
    @TempDir
    Path dir;

    private static Optional<String> configure(Object from) {
        LoggerContext context = new LoggerContext();
        try {
            return LogConfig.configure(context, from);
        } finally {
            context.stop();
        }
    }

    @Test
    void aMissingFileIsRefused() {
        Path missing = dir.resolve("missing.xml");
        assertEquals(Optional.of(missing + ": no such file"), configure(missing));
    }

    @Test
    void aFileNamingAnUnknownAppenderIsRefused() throws Exception {
        Path file = dir.resolve("bad.xml");
        Files.writeString(file, "<configuration><root level=\"INFO\"><appender-ref ref=\"NOPE\"/></root></configuration>");
        Optional<String> problem = configure(file);
        assertTrue(problem.isPresent() && problem.get().startsWith(file + ": ") && problem.get().contains("NOPE"),
                problem.toString());
    }

    @Test
    void aFileThatIsNotXmlIsRefused() throws Exception {
        Path file = dir.resolve("bad.xml");
        Files.writeString(file, "level = debug\n");
        assertTrue(configure(file).isPresent());
    }

    @Test
    void theBuiltInSetupsAreUsableAndKeepLettucesReconnectWarningsOut() {
        for (String resource : List.of(LogConfig.DEFAULT, LogFormat.JSON.resource())) {
            LoggerContext context = new LoggerContext();
            try {
                assertEquals(Optional.empty(), LogConfig.configure(context, resource), resource);
                assertEquals(Level.ERROR, context.getLogger("io.lettuce.core.protocol.ConnectionWatchdog").getEffectiveLevel(),
                        resource + ": the cluster logs one line per Redis state change, not Lettuce's every attempt");
            } finally {
                context.stop();
            }
        }
    }
}
