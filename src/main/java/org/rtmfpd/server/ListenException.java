package org.rtmfpd.server;

import java.net.InetSocketAddress;
import org.rtmfpd.config.ListenAddress;

/** An address that could not be bound at start-up, named with the option that asked for it. */
public final class ListenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param option  the option that named the address ({@code listen}, {@code registry-listen},
     *                {@code metrics-listen})
     * @param address the address
     * @param cause   why the bind failed
     */
    public ListenException(String option, InetSocketAddress address, Throwable cause) {
        super("cannot listen on " + ListenAddress.format(address) + " (" + option + "): " + reason(cause)
                + " (is another server on that port, or is the address not on this host?)", cause);
    }

    /** The system's words, without the native transport's {@code bind(..) failed with error(-98): }. */
    static String reason(Throwable cause) {
        return String.valueOf(cause.getMessage()).replaceFirst("^bind\\(\\.\\.\\) failed with error\\(-?\\d+\\): ", "");
    }
}
