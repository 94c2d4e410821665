package org.rtmfpd.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The folder where the commands look for rtmfpd.conf and developer-keys.conf when no file is named: the
 * one the launcher names in {@code RTMFPD_CONFIG_DIR} ({@code /etc/rtmfpd} for the Debian package's
 * {@code /usr/bin/rtmfpd}, the checkout's {@code config/} for {@code scripts/rtmfpd}), otherwise
 * {@code config/} in the working directory, for {@code java -jar} in a source tree.
 *
 * @param path  the folder
 * @param given whether {@code RTMFPD_CONFIG_DIR} named it
 */
public record ConfigDirectory(Path path, boolean given) {
    /** The environment variable the launchers set. */
    public static final String VARIABLE = "RTMFPD_CONFIG_DIR";
    /** The folder used when the variable is not set. */
    public static final Path SOURCE_TREE = Path.of("config");
    public static final String CONFIG_FILE = "rtmfpd.conf";
    public static final String DEVELOPER_KEYS_FILE = "developer-keys.conf";

    /** The folder of this process's environment. */
    public static ConfigDirectory current() {
        return of(System.getenv());
    }

    /** The folder {@code env} names, or {@link #SOURCE_TREE}; an empty value counts as unset. */
    public static ConfigDirectory of(Map<String, String> env) {
        String dir = env.get(VARIABLE);
        return dir == null || dir.isBlank() ? new ConfigDirectory(SOURCE_TREE, false)
                : new ConfigDirectory(Path.of(dir), true);
    }

    /** rtmfpd.conf in this folder. */
    public Path configFile() {
        return path.resolve(CONFIG_FILE);
    }

    /** developer-keys.conf in this folder. */
    public Path developerKeys() {
        return path.resolve(DEVELOPER_KEYS_FILE);
    }
}
