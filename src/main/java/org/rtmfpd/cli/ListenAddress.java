package org.rtmfpd.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine;

/** Turns {@code HOST:PORT}, {@code [V6]:PORT} or {@code :PORT} into a numeric socket address (no DNS). */
final class ListenAddress {
    private ListenAddress() {
    }

    static InetSocketAddress parse(String spec) {
        String host;
        String port;
        if (spec.startsWith("[")) {
            int close = spec.indexOf("]:");
            if (close < 0) {
                throw bad(spec);
            }
            host = spec.substring(1, close);
            port = spec.substring(close + 2);
        } else {
            int colon = spec.lastIndexOf(':');
            if (colon < 0 || spec.indexOf(':') != colon) {
                throw bad(spec);
            }
            host = colon == 0 ? "0.0.0.0" : spec.substring(0, colon);
            port = spec.substring(colon + 1);
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(spec);
        }
        if (number < 0 || number > 65535 || !isNumeric(host)) {
            throw bad(spec);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), number);
        } catch (UnknownHostException e) {
            throw bad(spec);
        }
    }

    private static boolean isNumeric(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static CommandLine.TypeConversionException bad(String spec) {
        return new CommandLine.TypeConversionException("listen address '" + spec
                + "' is not HOST:PORT, [IPV6]:PORT or :PORT with a numeric host and a port 0-65535");
    }
}
