package org.rtmfpd.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.rtmfpd.cluster.ClusterStore.NodeLoad;

class LoadRedirectorTest {
    final List<NodeLoad> nodes = new ArrayList<>();
    final AtomicBoolean draining = new AtomicBoolean();
    final LoadRedirector redirector = new LoadRedirector("a", () -> List.copyOf(nodes), draining::get);

    static NodeLoad node(String name, int port, int sessions, int max, boolean draining) {
        return new NodeLoad(name, List.of("127.0.0.1:" + port), sessions, max, draining);
    }

    static InetSocketAddress at(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Test
    void aNodeThatTakesClientsAnswersThemItself() {
        nodes.add(node("b", 2, 0, 10, false));
        assertEquals(List.of(), redirector.elsewhere(false));
    }

    @Test
    void aFullNodeSendsNewClientsToTheLeastLoadedOthersThatTakeClients() {
        nodes.add(node("a", 1, 10, 10, false));
        nodes.add(node("b", 2, 9, 10, false));
        nodes.add(node("c", 3, 100, 1000, false));
        nodes.add(node("d", 4, 0, 10, true));
        nodes.add(node("e", 5, 10, 10, false));
        nodes.add(node("f", 6, 5, 10, false));
        nodes.add(node("g", 7, 6, 10, false));
        assertEquals(List.of(at(3), at(6), at(7)), redirector.elsewhere(true),
                "10% then 50% then 60%; never itself, a draining or a full node; three at most");
    }

    @Test
    void aDrainingNodeRedirectsEvenWhenNotFull() {
        nodes.add(node("b", 2, 1, 10, false));
        draining.set(true);
        assertEquals(List.of(at(2)), redirector.elsewhere(false));
    }

    @Test
    void aloneOrWithEveryOtherNodeFullTheClientIsAnsweredHere() {
        nodes.add(node("a", 1, 10, 10, false));
        assertEquals(List.of(), redirector.elsewhere(true), "alone");
        nodes.add(node("b", 2, 10, 10, false));
        nodes.add(node("c", 3, 0, 10, true));
        assertEquals(List.of(), redirector.elsewhere(true), "the others full or draining");
    }

    @Test
    void theChoiceIsMadeOncePerHeartbeat() {
        List<NodeLoad> view = List.of(node("b", 2, 0, 10, false));
        LoadRedirector r = new LoadRedirector("a", () -> view, () -> true);
        assertSame(r.elsewhere(false), r.elsewhere(false));
    }

    @Test
    void advertisedAddressesParse() {
        assertEquals(new InetSocketAddress("::1", 1935), LoadRedirector.address("[::1]:1935"));
        assertEquals(at(19351), LoadRedirector.address("127.0.0.1:19351"));
        assertEquals(true, LoadRedirector.address("nonsense").isUnresolved());
    }
}
