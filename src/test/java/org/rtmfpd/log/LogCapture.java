package org.rtmfpd.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Records what one logger writes, at {@code level} and above, until closed. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level previousLevel;
    private final boolean previousAdditivity;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(Class<?> source, Level level) {
        logger = (Logger) LoggerFactory.getLogger(source);
        previousLevel = logger.getLevel();
        previousAdditivity = logger.isAdditive();
        logger.setAdditive(false);
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(level);
    }

    /** Captures {@code source}'s logger from DEBUG up. */
    public static LogCapture debug(Class<?> source) {
        return new LogCapture(source, Level.DEBUG);
    }

    /** Captures {@code source}'s logger from INFO up. */
    public static LogCapture info(Class<?> source) {
        return new LogCapture(source, Level.INFO);
    }

    public List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    /** Each line as the log would show it: level, a space, the formatted message. */
    public List<String> lines() {
        return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    /** Everything captured, one line per event. */
    public String text() {
        return String.join("\n", lines());
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        logger.setAdditive(previousAdditivity);
    }
}
