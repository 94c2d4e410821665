package org.rtmfpd.nat;

/** A datagram that is not a well-formed STUN message; {@link #reason()} says which rule it broke. */
public final class StunException extends Exception {
    private final StunDrop reason;

    public StunException(StunDrop reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public StunDrop reason() {
        return reason;
    }
}
