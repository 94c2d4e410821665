package org.rtmfpd.cluster;

import java.util.Locale;
import java.util.Optional;

/**
 * Tells a failure to reach Redis that trying again cannot mend (a URI Lettuce cannot use, a password
 * Redis refuses) from one that may pass (Redis not started yet, a network fault), and says what to fix.
 */
public final class RedisFailure {
    /** Words of Redis's answers to a missing or wrong password (AUTH, HELLO ... AUTH, ACL users). */
    private static final String[] AUTHENTICATION = {"noauth", "wrongpass", "invalid password", "invalid username-password",
        "auth failed", "authentication required", "without any password configured"};

    private RedisFailure() {
    }

    /** Why {@code failure} will happen again on every attempt, with what to fix; empty if it may pass. */
    public static Optional<String> lasting(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            String lower = message.toLowerCase(Locale.ROOT);
            for (String word : AUTHENTICATION) {
                if (lower.contains(word)) {
                    return Optional.of("Redis refused the authentication (" + message + "); give the password in"
                            + " cluster-redis-password-file (or in the URI, redis://:PASSWORD@HOST:PORT), and the user"
                            + " if Redis has ACL users (redis://USER:PASSWORD@...)");
                }
            }
            if (t instanceof IllegalArgumentException) {
                return Optional.of("the URI cannot be used (" + message + "); check cluster-redis (docs/configuration.md)");
            }
        }
        return Optional.empty();
    }
}
