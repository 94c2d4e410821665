package org.rtmfpd.config;

/** A URI as messages may show it: any password in its user-info part replaced by {@code ***}. */
final class LogSafeUri {
    private LogSafeUri() {
    }

    static String masked(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.indexOf('@');
        if (scheme < 0 || at < scheme) {
            return uri;
        }
        return uri.substring(0, scheme + 3) + "***" + uri.substring(at);
    }
}
