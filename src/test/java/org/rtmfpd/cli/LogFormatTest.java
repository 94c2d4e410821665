package org.rtmfpd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.rtmfpd.config.LogFormat;
import org.rtmfpd.server.ServerMetrics;
import org.slf4j.LoggerFactory;

/** The log lines an operator's collector reads: JSON one per line, and drops and refusals named as their metric labels. */
class LogFormatTest {
    /** The lines the built-in configuration of {@code format} writes for {@code logging}, in a context of their own. */
    private static String[] lines(LogFormat format, java.util.function.Consumer<org.slf4j.Logger> logging) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogFormatTest.class.getClassLoader().getResource(format.resource()));
            logging.accept(context.getLogger("org.rtmfpd.events"));
        } finally {
            context.stop();
            System.setErr(err);
        }
        return out.toString(StandardCharsets.UTF_8).split("\n");
    }

    @Test
    void jsonFormatWritesOneObjectPerLineWithTheEventName() throws Exception {
        String[] lines = lines(LogFormat.JSON, log -> {
            log.atWarn().addKeyValue("event", "bad_cookie").log("dropped: {}\nsecond line", "bad_cookie");
            log.warn("plain");
        });
        assertEquals(2, lines.length, String.join("\n", lines));
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertEquals("WARN", first.get("level").asText());
        assertEquals("org.rtmfpd.events", first.get("loggerName").asText());
        assertEquals("dropped: bad_cookie\nsecond line", first.get("formattedMessage").asText());
        assertTrue(first.get("kvpList").toString().contains("\"event\":\"bad_cookie\""), first.toString());
        assertEquals("plain", new ObjectMapper().readTree(lines[1]).get("formattedMessage").asText());
    }

    @Test
    void textFormatAppendsTheEventNameOnlyWhenThereIsOne() throws Exception {
        String[] lines = lines(LogFormat.TEXT, log -> {
            log.atWarn().addKeyValue("event", "connect_rejected").log("refused: connect_rejected");
            log.warn("plain");
        });
        assertTrue(lines[0].endsWith("events - refused: connect_rejected event=\"connect_rejected\""), lines[0]);
        assertTrue(lines[1].endsWith("events - plain"), lines[1]);
    }

    @Test
    void everyDropAndRefusalIsLoggedAtDebugUnderItsMetricLabel() {
        Logger events = (Logger) LoggerFactory.getLogger("org.rtmfpd.events");
        Level before = events.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        events.addAppender(appender);
        events.setLevel(Level.DEBUG);
        try {
            ServerMetrics metrics = new ServerMetrics();
            metrics.drop("bad_cookie");
            metrics.refuse("introduction_target_cap");
            assertEquals(2, appender.list.size());
            assertEquals("bad_cookie", appender.list.get(0).getKeyValuePairs().get(0).value);
            assertEquals("event", appender.list.get(1).getKeyValuePairs().get(0).key);
            assertEquals("introduction_target_cap", appender.list.get(1).getKeyValuePairs().get(0).value);
            assertEquals(1, metrics.refused("introduction_target_cap"));
        } finally {
            events.detachAppender(appender);
            events.setLevel(before);
        }
    }
}
