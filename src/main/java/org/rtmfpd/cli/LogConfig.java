package org.rtmfpd.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the built-in logging setup with an operator's logback file or another built-in one (JSON
 * lines), and applies the same again on {@link #reload()} (SIGHUP), so that an edited file takes effect.
 */
final class LogConfig {
    private static final Logger LOG = LoggerFactory.getLogger(LogConfig.class);
    /** What was applied last: a file, a class-path resource, or nothing (the default logback.xml). */
    private static Object source;

    private LogConfig() {
    }

    static synchronized void load(Path file) {
        source = file;
        apply();
    }

    static synchronized void loadResource(String resource) {
        source = resource;
        apply();
    }

    /** Applies the last file or resource again; the default setup when none was chosen. */
    static synchronized void reload() {
        if (source == null) {
            source = "logback.xml";
        }
        if (apply()) {
            LOG.info("log configuration reloaded from {}", source);
        }
    }

    private static boolean apply() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        context.reset();
        try {
            if (source instanceof Path file) {
                configurator.doConfigure(file.toFile());
            } else {
                URL url = LogConfig.class.getClassLoader().getResource((String) source);
                if (url == null) {
                    throw new JoranException("no resource " + source);
                }
                configurator.doConfigure(url);
            }
            return true;
        } catch (JoranException e) {
            System.err.println("rtmfpd: log configuration " + source + " could not be used: " + e.getMessage());
            return false;
        }
    }
}
