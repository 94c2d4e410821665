package org.rtmfpd.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.rendezvous.Ids.addr;
import static org.rtmfpd.rendezvous.Ids.peer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rtmfpd.rendezvous.Introducer.Introduce;
import org.rtmfpd.rendezvous.Introducer.Reason;
import org.rtmfpd.wire.PeerAddress;
import org.rtmfpd.wire.PeerAddress.Origin;

class IntroducerTest {
    static final byte[] TAG = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    final AtomicLong millis = new AtomicLong(1_000_000);
    final InstantSource clock = () -> Instant.ofEpochMilli(millis.get());
    final DeveloperKeys keys = DeveloperKeys.of(List.of(DeveloperKey.of("k"), DeveloperKey.of("other"),
            new DeveloperKey("big", "", java.util.OptionalInt.of(50), java.util.OptionalInt.empty())));
    /** The rendezvous applies the rules; the introducer makes the addresses and counts. */
    final LocalRendezvous<String> rendezvous = new LocalRendezvous<>(LocalRendezvous.SINGLE_NODE, keys::find, 5,
            new Introducer<>(clock, 3, Duration.ofSeconds(95)), new java.util.Random(1));
    final PeerRegistry<String> registry = rendezvous.registry();
    final IntroductionLedger ledger = rendezvous.ledger();
    final Introducer<String> introducer = rendezvous.introducer();

    // A: initiator behind NAT 203.0.113.10; B: target behind 198.51.100.20.
    final InetSocketAddress aPublic = addr("203.0.113.10", 40000);
    final InetSocketAddress bPublic = addr("198.51.100.20", 50000);

    /** The session of peer {@code n}: handles compare by identity. */
    private static String session(int n) {
        return ("session-" + n).intern();
    }

    private void add(String key, int n, InetSocketAddress observed, InetSocketAddress... reported) {
        registry.register(key, peer(n), observed, session(n));
        registry.updateReported(peer(n), session(n), List.of(reported));
        ledger.connect(peer(n));
    }

    /** An IHello for {@code target} that the session of peer {@code n} sent from {@code from}. */
    private Introducer.Outcome<String> ask(int n, InetSocketAddress from, PeerId target, byte[] tag) {
        return rendezvous.introduce(peer(n), session(n), from, target, tag).toCompletableFuture().join();
    }

    private Introduce<String> introduced(Introducer.Outcome<String> o) {
        if (o instanceof Introduce<String> i) {
            return i;
        }
        throw new AssertionError("expected an introduction, got " + o);
    }

    private Reason refused(Introducer.Outcome<String> o) {
        return assertInstanceOf(Introducer.Refused.class, o, () -> o.toString()).reason();
    }

    @Test
    void introducesWithTargetAddressesObservedFirstAndTheInitiatorsObservedAddress() {
        add("k", 1, aPublic, addr("192.168.1.10", 40000));
        add("k", 2, bPublic, addr("10.0.0.20", 50000), bPublic, addr("[fd00::20]", 50000), addr("10.0.0.20", 50000));
        Introduce<String> i = introduced(ask(1, aPublic, peer(2), TAG));
        assertEquals(List.of(
                new PeerAddress(bPublic, Origin.OBSERVED),
                new PeerAddress(addr("10.0.0.20", 50000), Origin.REPORTED),
                new PeerAddress(addr("[fd00::20]", 50000), Origin.REPORTED)), i.redirect());
        assertEquals(new PeerAddress(aPublic, Origin.OBSERVED), i.forward(),
                "different public IPs: the initiator's observed address only");
        assertEquals(peer(2), i.target().peerId());
        assertEquals(peer(1), i.initiator().peerId());
        assertTrue(i.newPair());
        assertEquals(1, introducer.introductionCount());
        assertEquals(1, introducer.newPairCount());
        assertTrue(ledger.introduced(peer(1), peer(2)));
    }

    @Test
    void tagsAreLimitedAsOnTheWire() {
        add("k", 1, aPublic);
        add("k", 2, bPublic);
        introduced(ask(1, aPublic, peer(2), new byte[org.rtmfpd.wire.Limits.MAX_IHELLO_TAG]));
        assertThrows(IllegalArgumentException.class,
                () -> ask(1, aPublic, peer(2), new byte[org.rtmfpd.wire.Limits.MAX_IHELLO_TAG + 1]));
    }

    @Test
    void repeatedIHelloIsAllowedWithoutANewSlot() {
        add("k", 1, aPublic);
        add("k", 2, bPublic);
        assertTrue(introduced(ask(1, aPublic, peer(2), TAG)).newPair());
        assertFalse(introduced(ask(1, aPublic, peer(2), TAG)).newPair());
        assertEquals(2, introducer.introductionCount());
        assertEquals(1, introducer.newPairCount());
        assertEquals(1, ledger.slotsInUse(peer(2)));
    }

    @Test
    void initiatorMustBeARegisteredSession() {
        add("k", 2, bPublic);
        assertEquals(Reason.INITIATOR_NOT_REGISTERED, refused(ask(1, aPublic, peer(2), TAG)));
        assertEquals(1, introducer.refusalCount(Reason.INITIATOR_NOT_REGISTERED));
    }

    @Test
    void initiatorMustBeTheSessionRegisteredForItsPeerId() {
        // Another session with peer 1's ID (one that has not connected, or that a newer one replaced)
        // is not peer 1's registered session.
        add("k", 1, aPublic);
        add("k", 2, bPublic);
        InetSocketAddress elsewhere = addr("203.0.113.11", 40000);
        assertEquals(Reason.INITIATOR_NOT_REGISTERED,
                refused(rendezvous.introduce(peer(1), "session-1b", elsewhere, peer(2), TAG).toCompletableFuture().join()));
        assertEquals(0, ledger.slotsInUse(peer(1)));
        assertEquals(0, introducer.introductionCount());
    }

    @Test
    void selfIsIgnored() {
        add("k", 1, aPublic);
        assertEquals(Reason.SELF, refused(ask(1, aPublic, peer(1), TAG)));
        assertEquals(1, introducer.refusalCount(Reason.SELF));
    }

    @Test
    void unknownTarget() {
        add("k", 1, aPublic);
        assertEquals(Reason.UNKNOWN_TARGET, refused(ask(1, aPublic, peer(2), TAG)));
        add("k", 2, bPublic);
        registry.unregister(peer(2), "session-2");
        ledger.release(peer(2));
        assertEquals(Reason.UNKNOWN_TARGET, refused(ask(1, aPublic, peer(2), TAG)), "no ghost");
        assertEquals(2, introducer.refusalCount(Reason.UNKNOWN_TARGET));
    }

    @Test
    void targetRegisteredButAlreadyReleasedFromTheLedgerCountsAsUnknown() {
        // The close of the target races the introduction: the registry still has it, the ledger does not.
        add("k", 1, aPublic);
        add("k", 2, bPublic);
        ledger.release(peer(2));
        assertEquals(Reason.UNKNOWN_TARGET, refused(ask(1, aPublic, peer(2), TAG)));
        assertEquals(0, ledger.slotsInUse(peer(1)));
    }

    @Test
    void peersOfAnotherKeyNeverMeet() {
        add("k", 1, aPublic);
        add("other", 2, bPublic);
        assertEquals(Reason.OTHER_DEVELOPER_KEY, refused(ask(1, aPublic, peer(2), TAG)));
        assertEquals(0, ledger.slotsInUse(peer(1)));
        assertEquals(1, introducer.refusalCount(Reason.OTHER_DEVELOPER_KEY));
        assertEquals(0, introducer.introductionCount());
    }

    @Test
    void sixthDistinctInitiatorIsRefusedAtTheDefaultCapAndAcceptedAfterOneLeaves() {
        add("k", 0, bPublic);
        for (int n = 1; n <= 6; n++) {
            add("k", n, addr("203.0.113." + n, 40000));
        }
        for (int n = 1; n <= 5; n++) {
            introduced(ask(n, addr("203.0.113." + n, 40000), peer(0), TAG));
        }
        assertEquals(Reason.TARGET_CAP, refused(ask(6, addr("203.0.113.6", 40000), peer(0), TAG)));
        assertEquals(1, introducer.refusalCount(Reason.TARGET_CAP));
        registry.unregister(peer(2), "session-2");
        ledger.release(peer(2));
        introduced(ask(6, addr("203.0.113.6", 40000), peer(0), TAG));
    }

    @Test
    void initiatorCap() {
        add("k", 0, aPublic);
        for (int n = 1; n <= 6; n++) {
            add("k", n, addr("198.51.100." + n, 50000));
        }
        for (int n = 1; n <= 5; n++) {
            introduced(ask(0, aPublic, peer(n), TAG));
        }
        assertEquals(Reason.INITIATOR_CAP, refused(ask(0, aPublic, peer(6), TAG)));
    }

    @Test
    void capComesFromTheDeveloperKey() {
        add("big", 0, bPublic);
        for (int n = 1; n <= 51; n++) {
            add("big", n, addr("10.9." + (n / 200) + "." + (n % 200 + 1), 40000));
        }
        for (int n = 1; n <= 50; n++) {
            introduced(ask(n, addr("10.9." + (n / 200) + "." + (n % 200 + 1), 40000), peer(0), TAG));
        }
        assertEquals(Reason.TARGET_CAP,
                refused(ask(51, addr("10.9.0." + (51 % 200 + 1), 40000), peer(0), TAG)));
    }

    @Test
    void sameLanForwardsPrivateAddressesFirstAndRotatesOnRepeats() {
        InetSocketAddress aLan1 = addr("192.168.1.10", 40000);
        InetSocketAddress aLan2 = addr("[fd00::10]", 40000);
        InetSocketAddress aNat = addr("198.51.100.20", 40001); // same public IP as B
        add("k", 1, aNat, aLan1, aNat, aLan2);
        add("k", 2, bPublic, addr("192.168.1.20", 50000));
        List<PeerAddress> forwarded = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            forwarded.add(introduced(ask(1, aNat, peer(2), TAG)).forward());
        }
        assertEquals(List.of(
                new PeerAddress(aLan1, Origin.REPORTED),
                new PeerAddress(aNat, Origin.OBSERVED),
                new PeerAddress(aLan2, Origin.REPORTED),
                new PeerAddress(aLan1, Origin.REPORTED)), forwarded,
                "the address on B's subnet, the observed one, then the rest");
        // Another tag starts from the first address again.
        assertEquals(new PeerAddress(aLan1, Origin.REPORTED),
                introduced(ask(1, aNat, peer(2), new byte[] {9})).forward());
    }

    @Test
    void samePublicIpWithoutACommonSubnetForwardsTheObservedAddressFirst() {
        // Two home NATs behind one carrier-grade NAT: one public IP, two private networks.
        InetSocketAddress aHome = addr("192.168.1.2", 43000);
        InetSocketAddress aCgn = addr("198.51.100.20", 43000);
        add("k", 1, aCgn, aHome);
        add("k", 2, addr("198.51.100.20", 44000), addr("192.168.2.2", 44000));
        assertEquals(new PeerAddress(aCgn, Origin.OBSERVED), introduced(ask(1, aCgn, peer(2), TAG)).forward());
        assertEquals(new PeerAddress(aHome, Origin.REPORTED), introduced(ask(1, aCgn, peer(2), TAG)).forward());
    }

    @Test
    void sameLanWithoutReportedAddressesForwardsTheObservedOne() {
        InetSocketAddress aNat = addr("198.51.100.20", 40001);
        add("k", 1, aNat);
        add("k", 2, bPublic);
        assertEquals(new PeerAddress(aNat, Origin.OBSERVED), introduced(ask(1, aNat, peer(2), TAG)).forward());
        assertEquals(0, introducer.rotationMemorySize(), "nothing to rotate, nothing remembered");
    }

    @Test
    void rotationRestartsAfterTheTagExpires() {
        InetSocketAddress aLan = addr("192.168.1.10", 40000);
        InetSocketAddress aNat = addr("198.51.100.20", 40001);
        add("k", 1, aNat, aLan);
        add("k", 2, bPublic);
        assertEquals(aLan, introduced(ask(1, aNat, peer(2), TAG)).forward().address());
        millis.addAndGet(94_000);
        assertEquals(aNat, introduced(ask(1, aNat, peer(2), TAG)).forward().address());
        millis.addAndGet(95_000);
        assertEquals(aLan, introduced(ask(1, aNat, peer(2), TAG)).forward().address(),
                "95 s after the last repeat the tag is forgotten");
    }

    @Test
    void rotationMemoryIsBounded() {
        InetSocketAddress aLan = addr("192.168.1.10", 40000);
        InetSocketAddress aNat = addr("198.51.100.20", 40001);
        add("k", 1, aNat, aLan);
        add("k", 2, bPublic);
        for (int t = 0; t < 10; t++) {
            ask(1, aNat, peer(2), new byte[] {(byte) t});
        }
        assertEquals(3, introducer.rotationMemorySize());
        // Tag 0 was evicted: it starts over at the first address.
        assertEquals(aLan, introduced(ask(1, aNat, peer(2), new byte[] {0})).forward().address());
        // Tag 9 is still remembered: its repeat moves on.
        assertEquals(aNat, introduced(ask(1, aNat, peer(2), new byte[] {9})).forward().address());
    }

    @Test
    void overlongTagIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> ask(1, aPublic, peer(2), new byte[256]));
    }

    @Test
    void addressChangeOfTheInitiatorIsFollowed() {
        // The server finds the initiator's session at its new address (that an IHello from the old one
        // finds none is the dispatcher's rule); the address forwarded is the one the IHello came from.
        add("k", 1, aPublic);
        add("k", 2, bPublic);
        InetSocketAddress moved = addr("203.0.113.99", 41000);
        registry.updateObserved(peer(1), session(1), moved);
        assertEquals(moved, introduced(ask(1, moved, peer(2), TAG)).forward().address());
    }

    @Test
    void addressChangeOfTheTargetIsFollowedInTheRedirect() {
        add("k", 1, aPublic);
        add("k", 2, bPublic, addr("10.0.0.20", 50000));
        InetSocketAddress moved = addr("198.51.100.99", 51000);
        registry.updateObserved(peer(2), session(2), moved);
        assertEquals(List.of(
                new PeerAddress(moved, Origin.OBSERVED),
                new PeerAddress(addr("10.0.0.20", 50000), Origin.REPORTED)),
                introduced(ask(1, aPublic, peer(2), TAG)).redirect());
    }
}
