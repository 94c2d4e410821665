package org.rtmfpd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code rtmfpd --version}: the version, git commit and build time that the build wrote into version.properties. */
public final class Version implements IVersionProvider {
    private static final String UNKNOWN = "unknown";

    @Override
    public String[] getVersion() {
        return new String[] {line()};
    }

    /** For example {@code rtmfpd 0.1.0 (commit 59fa681, built 2026-11-30T20:06:00Z)}. */
    public static String line() {
        Properties p = properties();
        String commit = value(p, "commit");
        if (!commit.equals(UNKNOWN) && "true".equals(p.getProperty("dirty"))) {
            commit += "-dirty";
        }
        return "rtmfpd " + value(p, "version") + " (commit " + commit + ", built " + value(p, "built") + ")";
    }

    /** The version alone, for example {@code 0.1.0}. */
    public static String version() {
        return value(properties(), "version");
    }

    private static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/org/rtmfpd/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an empty set: every field reads "unknown"
        }
        return p;
    }

    /** A property, or "unknown" when the build did not fill it in (a build outside git has no commit). */
    private static String value(Properties p, String name) {
        String v = p.getProperty(name, "");
        return v.isBlank() || v.contains("${") ? UNKNOWN : v;
    }
}
