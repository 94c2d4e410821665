package org.rtmfpd.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every verdict of the classifier, from the answers that lead to it. */
class NatClassifierTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.2", 5000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("198.18.0.2", 3478);
    private static final InetSocketAddress M1 = new InetSocketAddress("198.19.0.9", 6000);
    private static final InetSocketAddress M2 = new InetSocketAddress("198.19.0.9", 6001);
    private static final InetSocketAddress M3 = new InetSocketAddress("198.19.0.9", 6002);

    private static NatTestAnswers answers(InetSocketAddress mapped, InetSocketAddress viaIp2, InetSocketAddress viaBoth,
            Boolean changeBoth, Boolean changePort) {
        return new NatTestAnswers(LOCAL, Optional.of(mapped), Optional.of(OTHER), Optional.ofNullable(viaIp2),
                Optional.ofNullable(viaBoth), Optional.ofNullable(changeBoth), Optional.ofNullable(changePort),
                Optional.of(true));
    }

    @Test
    void noAnswerMeansUdpIsBlockedAndNothingIsReached() {
        NatVerdict v = NatClassifier.classify(NatTestAnswers.unanswered(LOCAL));
        assertEquals(false, v.udpReachable());
        assertEquals("udp: no answer", v.lines().get(0));
        assertEquals(NatVerdict.P2p.NOT_EXPECTED, v.p2p());
        for (PeerKind k : PeerKind.values()) {
            assertEquals(DirectReach.Reach.NO, v.reach(k));
        }
        assertTrue(v.summary().startsWith("UDP does not reach"));
    }

    @Test
    void fullCone() {
        NatVerdict v = NatClassifier.classify(answers(M1, M1, null, true, null));
        assertEquals(Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT), v.mapping());
        assertEquals(Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT), v.filtering());
        assertEquals(NatVerdict.P2p.EXPECTED, v.p2p());
        assertEquals(DirectReach.Reach.YES, v.reach(PeerKind.SYMMETRIC));
    }

    @Test
    void restrictedCone() {
        NatVerdict v = NatClassifier.classify(answers(M1, M1, null, false, true));
        assertEquals(Optional.of(NatBehaviour.ADDRESS_DEPENDENT), v.filtering());
        assertEquals(DirectReach.Reach.YES, v.reach(PeerKind.SYMMETRIC));
    }

    @Test
    void portRestrictedCone() {
        NatVerdict v = NatClassifier.classify(answers(M1, M1, null, false, false));
        assertEquals(Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT), v.mapping());
        assertEquals(Optional.of(NatBehaviour.ADDRESS_AND_PORT_DEPENDENT), v.filtering());
        assertEquals(NatVerdict.P2p.EXPECTED, v.p2p());
        assertEquals(DirectReach.Reach.NO, v.reach(PeerKind.SYMMETRIC));
        assertEquals(List.of("udp: reachable", "nat: present", "mapping: endpoint-independent",
                "filtering: address and port-dependent", "hairpinning: yes", "direct to full cone: yes",
                "direct to restricted cone: yes", "direct to port-restricted cone: yes", "direct to symmetric: no",
                "p2p with common home routers: expected"), v.lines());
        assertEquals("UDP reaches the server. Direct peer-to-peer sessions should work with peers behind full cone NATs,"
                + " restricted cone NATs or port-restricted cone NATs. They will not work with peers behind symmetric NATs:"
                + " such peers cannot be reached directly from this network.", v.summary());
    }

    @Test
    void addressDependentMapping() {
        NatVerdict v = NatClassifier.classify(answers(M1, M2, M2, false, false));
        assertEquals(Optional.of(NatBehaviour.ADDRESS_DEPENDENT), v.mapping());
        assertEquals(NatVerdict.P2p.NOT_EXPECTED, v.p2p());
    }

    @Test
    void symmetric() {
        NatVerdict v = NatClassifier.classify(answers(M1, M2, M3, false, false));
        assertEquals(Optional.of(NatBehaviour.ADDRESS_AND_PORT_DEPENDENT), v.mapping());
        assertEquals(NatVerdict.P2p.NOT_EXPECTED, v.p2p());
        assertEquals(DirectReach.Reach.YES, v.reach(PeerKind.FULL_CONE));
        assertEquals(DirectReach.Reach.YES, v.reach(PeerKind.RESTRICTED_CONE));
        assertEquals(DirectReach.Reach.NO, v.reach(PeerKind.PORT_RESTRICTED_CONE));
        assertEquals("p2p with common home routers: not expected", v.lines().get(v.lines().size() - 1));
    }

    @Test
    void noNatIsEndpointIndependentMapping() {
        NatVerdict v = NatClassifier.classify(new NatTestAnswers(LOCAL, Optional.of(LOCAL), Optional.of(OTHER),
                Optional.of(LOCAL), Optional.empty(), Optional.of(true), Optional.empty(), Optional.empty()));
        assertEquals(Optional.of(false), v.nat());
        assertEquals(Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT), v.mapping());
        assertEquals("hairpinning: not tested", v.lines().get(4));
        assertTrue(v.summary().contains("There is no NAT"));
    }

    @Test
    void withoutAnAlternateAddressTheServerSaysWhatCannotBeTold() {
        NatVerdict v = NatClassifier.classify(new NatTestAnswers(LOCAL, Optional.of(M1), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(false)));
        assertEquals("mapping: unknown (" + NatClassifier.NO_ALTERNATE + ")", v.lines().get(2));
        assertEquals("filtering: unknown (" + NatClassifier.NO_ALTERNATE + ")", v.lines().get(3));
        assertEquals(NatVerdict.P2p.CANNOT_TELL, v.p2p());
        assertEquals(DirectReach.Reach.YES, v.reach(PeerKind.FULL_CONE));
        assertTrue(v.summary().contains("cannot be told (" + NatClassifier.NO_ALTERNATE + ")"), v.summary());
    }

    @Test
    void withoutAnAlternateButNoNatTheMappingIsKnown() {
        NatVerdict v = NatClassifier.classify(new NatTestAnswers(LOCAL, Optional.of(LOCAL), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        assertEquals(Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT), v.mapping());
        assertEquals(NatVerdict.P2p.EXPECTED, v.p2p());
    }

    @Test
    void aLostAlternateAnswerLeavesTheMappingUnknown() {
        NatVerdict v = NatClassifier.classify(answers(M1, null, null, null, null));
        assertEquals(Optional.empty(), v.mapping());
        assertEquals(Optional.empty(), v.filtering());
        assertEquals("mapping: unknown (" + NatClassifier.NO_ALTERNATE_ANSWER + ")", v.lines().get(2));
        NatVerdict half = NatClassifier.classify(answers(M1, M2, null, false, null));
        assertEquals(Optional.empty(), half.mapping());
        assertEquals(Optional.empty(), half.filtering());
        assertEquals(NatVerdict.P2p.CANNOT_TELL, half.p2p());
    }
}
