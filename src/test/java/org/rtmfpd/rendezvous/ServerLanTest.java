package org.rtmfpd.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.rendezvous.Ids.addr;
import static org.rtmfpd.rendezvous.Ids.peer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rtmfpd.rendezvous.Introducer.Introduce;
import org.rtmfpd.wire.PeerAddress;
import org.rtmfpd.wire.PeerAddress.Origin;

/** The server behind a port-forwarding NAT: what outside peers are given for peers on its own LAN. */
class ServerLanTest {
    static final byte[] TAG = {1, 2, 3, 4};
    // The server: 10.71.0.10 on its LAN, 198.18.0.71 outside (advertise).
    final ServerLan lan = new ServerLan(List.of(ip("198.18.0.71"), ip("10.71.0.10")));
    final InetSocketAddress inside = addr("10.71.0.20", 40000);
    final InetSocketAddress inside2 = addr("10.71.0.21", 40001);
    final InetSocketAddress outside = addr("198.18.0.32", 50000);

    final LocalRendezvous<String> rendezvous = new LocalRendezvous<>(LocalRendezvous.SINGLE_NODE,
            DeveloperKeys.of(List.of(DeveloperKey.of("k")))::find, 5, () -> Instant.EPOCH, new java.util.Random(1), lan);

    static InetAddress ip(String literal) {
        return addr(literal, 1).getAddress();
    }

    private void add(int n, InetSocketAddress observed, InetSocketAddress... reported) {
        rendezvous.registry().register("k", peer(n), observed, ("s" + n).intern());
        rendezvous.registry().updateReported(peer(n), ("s" + n).intern(), List.of(reported));
        rendezvous.ledger().connect(peer(n));
    }

    private Introduce<String> ask(int n, InetSocketAddress from, int target) {
        return (Introduce<String>) rendezvous.introduce(peer(n), ("s" + n).intern(), from, peer(target), TAG)
                .toCompletableFuture().join();
    }

    @Test
    void privateRanges() {
        for (String a : List.of("10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "100.127.255.255", "127.0.0.1",
                "169.254.1.1", "0.0.0.0", "fd00::1", "fc00::1", "fe80::1", "::1")) {
            assertTrue(ServerLan.isPrivate(ip(a)), a);
        }
        for (String a : List.of("198.18.0.1", "203.0.113.9", "100.128.0.1", "100.63.255.255", "8.8.8.8", "2001:db8::1")) {
            assertFalse(ServerLan.isPrivate(ip(a)), a);
        }
    }

    @Test
    void onlyPublicAdvertisedAddressesCount() {
        assertEquals(List.of(ip("198.18.0.71")), lan.publicAddresses());
        assertEquals(List.of(), new ServerLan(List.of(ip("10.0.0.1"))).publicAddresses());
    }

    @Test
    void anInsidePeerIsReachedOutsideAtThePublicAddressWithItsOwnPort() {
        assertEquals(Optional.of(addr("198.18.0.71", 40000)), lan.outside(inside, outside));
        assertEquals(Optional.empty(), lan.outside(inside, inside2), "both inside: their own addresses");
        assertEquals(Optional.empty(), lan.outside(outside, inside), "an outside peer keeps its address");
        assertEquals(Optional.empty(), lan.outside(addr("[fd00::20]", 40000), addr("[2001:db8::32]", 5)),
                "no public IPv6 address advertised");
        assertEquals(Optional.empty(), ServerLan.NONE.outside(inside, outside));
    }

    @Test
    void outsideInitiatorGetsTheInsideTargetAtThePublicAddressFirst() {
        add(1, outside);
        add(2, inside, inside);
        Introduce<String> i = ask(1, outside, 2);
        assertEquals(List.of(new PeerAddress(addr("198.18.0.71", 40000), Origin.OBSERVED),
                new PeerAddress(inside, Origin.OBSERVED)), i.redirect());
        assertEquals(new PeerAddress(outside, Origin.OBSERVED), i.forward());
    }

    @Test
    void insideInitiatorIsForwardedToAnOutsideTargetAtThePublicAddress() {
        add(1, inside, inside);
        add(2, outside);
        Introduce<String> i = ask(1, inside, 2);
        assertEquals(List.of(new PeerAddress(outside, Origin.OBSERVED)), i.redirect());
        assertEquals(new PeerAddress(addr("198.18.0.71", 40000), Origin.OBSERVED), i.forward());
    }

    @Test
    void twoInsidePeersKeepTheirOwnAddresses() {
        add(1, inside);
        add(2, inside2);
        Introduce<String> i = ask(1, inside, 2);
        assertEquals(List.of(new PeerAddress(inside2, Origin.OBSERVED)), i.redirect());
        assertEquals(new PeerAddress(inside, Origin.OBSERVED), i.forward());
    }
}
