package org.rtmfpd.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Replaces the built-in logging setup with an operator's logback file. */
final class LogConfig {
    private LogConfig() {
    }

    static void load(Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        context.reset();
        try {
            configurator.doConfigure(file.toFile());
        } catch (JoranException e) {
            System.err.println("rtmfpd: log-config " + file + " could not be used: " + e.getMessage());
        }
    }
}
