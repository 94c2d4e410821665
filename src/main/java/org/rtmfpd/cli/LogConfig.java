package org.rtmfpd.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the built-in logging setup with an operator's logback file or another built-in one (JSON
 * lines), and applies the same again on {@link #reload()} (SIGHUP), so that an edited file takes effect.
 * A file that logback cannot use in full (missing, not XML, naming an appender it lacks) is refused: at
 * start-up rtmfpd does not start, on a reload the setup that worked before stays.
 */
final class LogConfig {
    private static final Logger LOG = LoggerFactory.getLogger(LogConfig.class);
    /** The built-in setup, log-format = text. */
    static final String DEFAULT = "logback.xml";
    /** What was applied last: a file or a class-path resource; the default logback.xml at first. */
    private static Object source = DEFAULT;

    private LogConfig() {
    }

    /** Applies {@code file}; the problem if logback could not use it in full. */
    static synchronized Optional<String> load(Path file) {
        return use(file);
    }

    /** Applies the built-in {@code resource}; the problem if it could not be used. */
    static synchronized Optional<String> loadResource(String resource) {
        return use(resource);
    }

    /** Applies the last file or resource again; if it now fails, the one before stays in force. */
    static synchronized void reload() {
        Object last = source;
        Optional<String> problem = configure((LoggerContext) LoggerFactory.getILoggerFactory(), last);
        if (problem.isEmpty()) {
            LOG.info("log configuration reloaded from {}", last);
            return;
        }
        configure((LoggerContext) LoggerFactory.getILoggerFactory(), DEFAULT);
        LOG.error("log configuration {} not reloaded: {}; logging with the built-in setup until it is fixed and"
                + " reloaded", last, problem.get());
    }

    private static Optional<String> use(Object wanted) {
        Optional<String> problem = configure((LoggerContext) LoggerFactory.getILoggerFactory(), wanted);
        if (problem.isEmpty()) {
            source = wanted;
        } else {
            configure((LoggerContext) LoggerFactory.getILoggerFactory(), source);
        }
        return problem;
    }

    /**
     * Resets {@code context} and configures it from {@code from} (a {@link Path} or a class-path resource
     * name); the first error logback reported, if any, which means the setup is not the one asked for.
     */
    static Optional<String> configure(LoggerContext context, Object from) {
        context.reset();
        context.getStatusManager().clear();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            if (from instanceof Path file) {
                if (!Files.isRegularFile(file)) {
                    return Optional.of(file + ": no such file");
                }
                configurator.doConfigure(file.toFile());
            } else {
                URL url = LogConfig.class.getClassLoader().getResource((String) from);
                if (url == null) {
                    return Optional.of("no resource " + from);
                }
                configurator.doConfigure(url);
            }
        } catch (JoranException e) {
            return Optional.of(from + ": " + e.getMessage());
        }
        Optional<String> error = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getEffectiveLevel() >= Status.ERROR)
                .findFirst()
                .map(s -> from + ": " + s.getMessage());
        if (error.isPresent()) {
            return error;
        }
        if (context.getLoggerList().stream().noneMatch(l -> l.iteratorForAppenders().hasNext())) {
            String warnings = context.getStatusManager().getCopyOfStatusList().stream()
                    .filter(s -> s.getEffectiveLevel() >= Status.WARN).map(Status::getMessage)
                    .reduce((a, b) -> a + "; " + b).map(w -> " (" + w + ")").orElse("");
            return Optional.of(from + ": no logger has an appender, so nothing would be logged" + warnings);
        }
        return Optional.empty();
    }
}
