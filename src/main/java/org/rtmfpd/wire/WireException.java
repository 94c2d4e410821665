package org.rtmfpd.wire;

/**
 * Thrown when bytes from the network do not form what RFC 7016 says they must. It is the only
 * exception a decoder lets out; callers drop the offending datagram, chunk or option.
 */
public final class WireException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WireException(String message) {
        super(message, null, false, false);
    }
}
