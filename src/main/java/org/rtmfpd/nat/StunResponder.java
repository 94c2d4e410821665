package org.rtmfpd.nat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Turns a STUN datagram received on one of a server's STUN sockets into the answer and the socket to
 * send it from, or into the reason it gets none. Answers Binding requests (RFC 8489 §6.3.1) with
 * XOR-MAPPED-ADDRESS, SOFTWARE and FINGERPRINT; with an alternate address, also honours CHANGE-REQUEST
 * and adds RESPONSE-ORIGIN and OTHER-ADDRESS (RFC 5780 §6.1). Sans-IO: bytes and addresses in, bytes
 * and a {@link SocketRole} out. Not thread-safe (the protocol thread uses it).
 */
public final class StunResponder {
    /** What to do with a datagram. */
    public sealed interface Outcome {
    }

    /** Send {@code datagram} to the requester from the socket of {@code from}. */
    public record Reply(SocketRole from, byte[] datagram) implements Outcome {
    }

    /** Send nothing; count {@code reason}. */
    public record Dropped(StunDrop reason) implements Outcome {
    }

    private final StunEndpoints endpoints;
    private final StunLimits limits;
    private final Predicate<InetSocketAddress> proven;
    private final StunMessage.Attribute software;

    /**
     * @param proven   whether an address has proved that it receives there (it holds a session): answers to
     *                 it are not bound by the amplification limit
     * @param software the SOFTWARE description, such as {@code rtmfpd 1.0}
     */
    public StunResponder(StunEndpoints endpoints, StunLimits limits, Predicate<InetSocketAddress> proven, String software) {
        this.endpoints = endpoints;
        this.limits = limits;
        this.proven = proven;
        this.software = StunAttributes.software(software);
    }

    public StunEndpoints endpoints() {
        return endpoints;
    }

    /** The answer to {@code datagram}, received from {@code from} on the socket of {@code arrivedOn}. */
    public Outcome answer(SocketRole arrivedOn, InetSocketAddress from, byte[] datagram) {
        StunMessage request;
        try {
            request = StunMessage.decode(datagram);
        } catch (StunException e) {
            return new Dropped(e.reason());
        }
        if (request.type() != StunMessage.BINDING_REQUEST) {
            return new Dropped(StunDrop.NOT_A_BINDING_REQUEST);
        }
        StunDrop limited = limits.admit(from);
        if (limited != null) {
            return new Dropped(limited);
        }
        List<Integer> unknown = unknownRequired(request);
        if (!unknown.isEmpty()) {
            return bounded(arrivedOn, from, datagram.length, error(request, unknown), null);
        }
        SocketRole replyFrom = arrivedOn;
        var change = request.attribute(StunAttributes.CHANGE_REQUEST);
        if (change.isPresent()) {
            try {
                replyFrom = arrivedOn.changed(StunAttributes.changeFlags(change.get().value()));
            } catch (StunException e) {
                return new Dropped(e.reason());
            }
        }
        List<StunMessage.Attribute> attributes = new ArrayList<>();
        attributes.add(StunAttributes.xorMappedAddress(from, request.transactionId()));
        if (endpoints.discovery()) {
            attributes.add(StunAttributes.address(StunAttributes.RESPONSE_ORIGIN, endpoints.address(replyFrom)));
            attributes.add(StunAttributes.address(StunAttributes.OTHER_ADDRESS, endpoints.address(arrivedOn.other())));
        }
        StunMessage bare = new StunMessage(StunMessage.BINDING_SUCCESS, request.transactionId(), attributes);
        return bounded(replyFrom, from, datagram.length, bare.with(software), bare);
    }

    /**
     * The reply, if it stays within the amplification limit or goes to a proven address; else the reply
     * without SOFTWARE ({@code smaller}) if that does; else either within the small-request rates.
     */
    private Outcome bounded(SocketRole replyFrom, InetSocketAddress to, int requestLength, StunMessage full,
            StunMessage smaller) {
        int limit = StunLimits.AMPLIFICATION_LIMIT * requestLength;
        if (full.encodedLength() <= limit || proven.test(to)) {
            return new Reply(replyFrom, full.encode());
        }
        if (smaller != null && smaller.encodedLength() <= limit) {
            return new Reply(replyFrom, smaller.encode());
        }
        if (limits.admitLarge(to)) {
            return new Reply(replyFrom, (smaller != null ? smaller : full).encode());
        }
        return new Dropped(StunDrop.AMPLIFICATION);
    }

    /**
     * Comprehension-required attributes this server does not handle (RFC 8489 §6.3.1.1); CHANGE-REQUEST
     * among them when there is no alternate address (RFC 5780 §6.1).
     */
    private List<Integer> unknownRequired(StunMessage request) {
        List<Integer> unknown = new ArrayList<>();
        for (StunMessage.Attribute a : request.attributes()) {
            boolean required = a.type() < 0x8000;
            boolean handled = StunAttributes.UNDERSTOOD.contains(a.type())
                    && (a.type() != StunAttributes.CHANGE_REQUEST || endpoints.discovery());
            if (required && !handled && !unknown.contains(a.type()) && unknown.size() < MAX_UNKNOWN_LISTED) {
                unknown.add(a.type());
            }
        }
        return unknown;
    }

    /** At most this many attribute types are listed in UNKNOWN-ATTRIBUTES. */
    private static final int MAX_UNKNOWN_LISTED = 8;

    private static StunMessage error(StunMessage request, List<Integer> unknown) {
        return new StunMessage(StunMessage.BINDING_ERROR, request.transactionId(), List.of(
                StunAttributes.errorCode(StunAttributes.ERROR_UNKNOWN_ATTRIBUTE, "Unknown Attribute"),
                StunAttributes.unknownAttributes(unknown)));
    }
}
