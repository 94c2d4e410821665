package org.rtmfpd.client;

import java.util.Map;

/** Why a client operation failed: the reason as an enum, for callers that act on it, and a message. */
public final class RtmfpException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure. */
    public enum Reason {
        /** Nothing (usable) answered before the deadline. */
        TIMEOUT,
        /** The responder's certificate was malformed, did not match the endpoint discriminator, or shares no group. */
        BAD_CERTIFICATE,
        /** Keying failed: bad DH key, HMAC or sequence-number negotiation refused, malformed SKRC. */
        KEYING_FAILED,
        /**
         * The server refused the NetConnection flow (a Flow Exception) before answering {@code connect}, as
         * rtmfp-cpp's tcserver does when it rejects a client: its {@code _error} then comes on a return flow
         * that the rules of RFC 7016 §3.6.3.1 make the client reject.
         */
        REJECTED,
        /** The server answered a command with {@code _error}. */
        CALL_FAILED,
        /** The session closed (or was never open) before the operation completed. */
        CLOSED
    }

    private final Reason reason;
    private final transient Map<String, Object> info;

    public RtmfpException(Reason reason, String message) {
        this(reason, message, null);
    }

    public RtmfpException(Reason reason, String message, Map<String, Object> info) {
        super(message);
        this.reason = reason;
        this.info = info;
    }

    public Reason reason() {
        return reason;
    }

    /** The info object of an {@code _error} answer, or null. */
    public Map<String, Object> info() {
        return info;
    }
}
