package org.rtmfpd.crypto;

/**
 * One side's flags for an optional packet protection, HMAC or session sequence numbers
 * (RFC 7425 §4.6.4), and the rules that turn both sides' flags into what each sends and checks.
 */
public record Negotiation(int flags) {
    /** "I will send it always": the other side must check it. */
    public static final int SEND_ALWAYS = 0x04;
    /** "I will send it if you ask". */
    public static final int SEND_ON_REQUEST = 0x02;
    /** "Please send it": the reference implementation treats this as a requirement. */
    public static final int REQUEST = 0x01;

    public static final Negotiation NONE = new Negotiation(0);
    /** What Flash Player offers: will send on request, asks for nothing. */
    public static final Negotiation ON_REQUEST = new Negotiation(SEND_ON_REQUEST);
    /** What rtmfp-cpp's clients and server send by default. */
    public static final Negotiation REQUIRED = new Negotiation(SEND_ALWAYS | SEND_ON_REQUEST | REQUEST);

    public Negotiation {
        flags &= 0xff;
    }

    public boolean requests() {
        return (flags & REQUEST) != 0;
    }

    public boolean sendsAlways() {
        return (flags & SEND_ALWAYS) != 0;
    }

    public boolean sendsOnRequest() {
        return (flags & SEND_ON_REQUEST) != 0;
    }

    /** Whether the side holding {@code near} sends it: it said it always will, or the far side asks. */
    public static boolean nearSends(Negotiation near, Negotiation far) {
        return near.sendsAlways() || far.requests();
    }

    /** Whether the side holding {@code near} must check it: the far side always sends it, or near asked. */
    public static boolean nearChecks(Negotiation near, Negotiation far) {
        return far.sendsAlways() || near.requests();
    }

    /** False when {@code near} requires it but {@code far} will send it neither always nor on request. */
    public static boolean compatible(Negotiation near, Negotiation far) {
        return !near.requests() || far.sendsAlways() || far.sendsOnRequest();
    }

    /**
     * The flags a responder answers with: it sends always whatever the initiator requests and asks
     * for nothing else, so that a Flash Player that only offers gets the Stratus answer (flags 0).
     */
    public static Negotiation answering(Negotiation initiator) {
        return initiator.requests() ? new Negotiation(SEND_ALWAYS) : NONE;
    }
}
