package org.rtmfpd.nat;

import java.util.Optional;

/**
 * Turns the answers of the RFC 5780 tests into a {@link NatVerdict}: a pure function. Mapping (§4.3): the
 * same mapped address from IP2:PORT1 as from IP1:PORT1 is endpoint-independent; else the same from
 * IP2:PORT2 as from IP2:PORT1 is address-dependent; else address and port-dependent. Filtering (§4.4):
 * an answer from IP2:PORT2 is endpoint-independent; else one from IP1:PORT2 is address-dependent; else
 * address and port-dependent. No NAT (the mapped address is the socket's own) maps endpoint-independently.
 */
public final class NatClassifier {
    /** Why mapping and filtering cannot be told without an alternate address. */
    public static final String NO_ALTERNATE = "the server has no second address: set stun-alternate on it";
    static final String NO_ANSWER = "no answer from the server's port";
    static final String NO_ALTERNATE_ANSWER = "no answer from the server's second address";

    private NatClassifier() {
    }

    public static NatVerdict classify(NatTestAnswers answers) {
        if (answers.mapped().isEmpty()) {
            return new NatVerdict(false, Optional.empty(), Optional.empty(), NO_ANSWER, Optional.empty(), NO_ANSWER,
                    Optional.empty());
        }
        boolean nat = !answers.mapped().get().equals(answers.local());
        boolean discovery = answers.otherAddress().isPresent();
        Optional<NatBehaviour> mapping;
        String mappingUnknown = "";
        if (!nat) {
            mapping = Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT);
        } else if (!discovery) {
            mapping = Optional.empty();
            mappingUnknown = NO_ALTERNATE;
        } else {
            mapping = mapping(answers);
            mappingUnknown = mapping.isEmpty() ? NO_ALTERNATE_ANSWER : "";
        }
        Optional<NatBehaviour> filtering = discovery ? filtering(answers) : Optional.empty();
        String filteringUnknown = filtering.isPresent() ? "" : discovery ? NO_ALTERNATE_ANSWER : NO_ALTERNATE;
        return new NatVerdict(true, Optional.of(nat), mapping, mappingUnknown, filtering, filteringUnknown,
                answers.hairpin());
    }

    private static Optional<NatBehaviour> mapping(NatTestAnswers a) {
        if (a.mappedViaAlternateIp().isEmpty()) {
            return Optional.empty();
        }
        if (a.mappedViaAlternateIp().equals(a.mapped())) {
            return Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT);
        }
        if (a.mappedViaAlternateBoth().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(a.mappedViaAlternateBoth().equals(a.mappedViaAlternateIp())
                ? NatBehaviour.ADDRESS_DEPENDENT : NatBehaviour.ADDRESS_AND_PORT_DEPENDENT);
    }

    private static Optional<NatBehaviour> filtering(NatTestAnswers a) {
        if (a.changeIpAndPortAnswered().isEmpty()) {
            return Optional.empty();
        }
        if (a.changeIpAndPortAnswered().get()) {
            return Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT);
        }
        return a.changePortAnswered().map(answered -> answered ? NatBehaviour.ADDRESS_DEPENDENT
                : NatBehaviour.ADDRESS_AND_PORT_DEPENDENT);
    }
}
