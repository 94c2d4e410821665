package org.rtmfpd.config;

import java.util.Locale;

/** The line format of the built-in logging setup: {@code log-format = text} or {@code json}. */
public enum LogFormat {
    /** One human line per event: time, level, logger, message, and key=value pairs such as {@code event=}. */
    TEXT,
    /** One JSON object per line (Logback's JsonEncoder), for a log collector. */
    JSON;

    static LogFormat parse(String value) {
        for (LogFormat f : values()) {
            if (f.name().toLowerCase(Locale.ROOT).equals(value)) {
                return f;
            }
        }
        throw new IllegalArgumentException("log-format must be text or json, got '" + value + "'");
    }

    /** The built-in logback configuration of this format, a class-path resource. */
    public String resource() {
        return this == TEXT ? "logback.xml" : "org/rtmfpd/logback-json.xml";
    }
}
