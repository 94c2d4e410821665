package org.rtmfpd.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.rendezvous.Ids.peer;
import static org.rtmfpd.rendezvous.IntroductionLedger.Decision.ALREADY_INTRODUCED;
import static org.rtmfpd.rendezvous.IntroductionLedger.Decision.INTRODUCED;
import static org.rtmfpd.rendezvous.IntroductionLedger.Decision.REFUSED_INITIATOR_CAP;
import static org.rtmfpd.rendezvous.IntroductionLedger.Decision.REFUSED_INITIATOR_GONE;
import static org.rtmfpd.rendezvous.IntroductionLedger.Decision.REFUSED_TARGET_CAP;
import static org.rtmfpd.rendezvous.IntroductionLedger.Decision.REFUSED_TARGET_GONE;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IntroductionLedgerTest {
    final IntroductionLedger ledger = new IntroductionLedger();

    private void connect(int... ns) {
        for (int n : ns) {
            ledger.connect(peer(n));
        }
    }

    @Test
    void sixthDistinctInitiatorToOneTargetIsRefusedUntilOneLeaves() {
        connect(0, 1, 2, 3, 4, 5, 6);
        for (int i = 1; i <= 5; i++) {
            assertEquals(INTRODUCED, ledger.tryIntroduce(peer(i), peer(0), 5, 5), "initiator " + i);
        }
        assertEquals(REFUSED_TARGET_CAP, ledger.tryIntroduce(peer(6), peer(0), 5, 5));
        assertEquals(5, ledger.slotsInUse(peer(0)));
        assertEquals(0, ledger.slotsInUse(peer(6)), "a refusal uses no slot");
        assertEquals(1, ledger.release(peer(3)));
        assertEquals(4, ledger.slotsInUse(peer(0)));
        assertEquals(INTRODUCED, ledger.tryIntroduce(peer(6), peer(0), 5, 5));
    }

    @Test
    void repeatsDoNotCountTwiceInEitherDirection() {
        connect(1, 2, 3);
        assertEquals(INTRODUCED, ledger.tryIntroduce(peer(1), peer(2), 1, 1));
        assertEquals(ALREADY_INTRODUCED, ledger.tryIntroduce(peer(1), peer(2), 1, 1));
        assertEquals(ALREADY_INTRODUCED, ledger.tryIntroduce(peer(2), peer(1), 1, 1));
        assertEquals(1, ledger.slotsInUse(peer(1)));
        assertEquals(1, ledger.pairCount());
        assertEquals(REFUSED_INITIATOR_CAP, ledger.tryIntroduce(peer(1), peer(3), 1, 1));
        assertEquals(REFUSED_TARGET_CAP, ledger.tryIntroduce(peer(3), peer(1), 1, 1));
    }

    @Test
    void initiatorCapIsCheckedAgainstTheInitiatorsOwnCap() {
        connect(1, 2, 3);
        assertEquals(INTRODUCED, ledger.tryIntroduce(peer(1), peer(2), 1, 50));
        assertEquals(REFUSED_INITIATOR_CAP, ledger.tryIntroduce(peer(1), peer(3), 1, 50));
        assertEquals(INTRODUCED, ledger.tryIntroduce(peer(3), peer(2), 50, 2));
        assertEquals(REFUSED_TARGET_CAP, ledger.tryIntroduce(peer(3), peer(1), 50, 1));
    }

    @Test
    void loweredCapKeepsExistingPairsAndRefusesNewOnes() {
        connect(1, 2, 3, 4);
        ledger.tryIntroduce(peer(1), peer(2), 5, 5);
        ledger.tryIntroduce(peer(1), peer(3), 5, 5);
        assertEquals(ALREADY_INTRODUCED, ledger.tryIntroduce(peer(1), peer(2), 1, 1));
        assertEquals(REFUSED_INITIATOR_CAP, ledger.tryIntroduce(peer(1), peer(4), 1, 1));
    }

    @Test
    void onlyConnectedPeersCanBeIntroduced() {
        connect(1);
        assertEquals(REFUSED_TARGET_GONE, ledger.tryIntroduce(peer(1), peer(2), 5, 5));
        assertEquals(REFUSED_INITIATOR_GONE, ledger.tryIntroduce(peer(2), peer(1), 5, 5));
        connect(2);
        ledger.release(peer(2));
        assertEquals(REFUSED_TARGET_GONE, ledger.tryIntroduce(peer(1), peer(2), 5, 5),
                "an introduction decided after the release leaves no slot behind");
        assertEquals(0, ledger.slotsInUse(peer(1)));
        assertFalse(ledger.isConnected(peer(2)));
    }

    @Test
    void releaseFreesBothSidesAndForgetsThePair() {
        connect(1, 2, 3);
        ledger.tryIntroduce(peer(1), peer(2), 5, 5);
        ledger.tryIntroduce(peer(3), peer(1), 5, 5);
        assertEquals(2, ledger.release(peer(1)));
        assertEquals(0, ledger.slotsInUse(peer(2)));
        assertEquals(0, ledger.slotsInUse(peer(3)));
        assertEquals(0, ledger.pairCount());
        assertEquals(0, ledger.release(peer(1)), "twice is harmless");
        ledger.connect(peer(1));
        assertFalse(ledger.introduced(peer(1), peer(2)), "a returning peer starts afresh");
        assertEquals(INTRODUCED, ledger.tryIntroduce(peer(2), peer(1), 5, 5));
        assertTrue(ledger.introduced(peer(1), peer(2)));
    }

    @Test
    void connectIsIdempotentAndKeepsSlots() {
        connect(1, 2);
        ledger.tryIntroduce(peer(1), peer(2), 5, 5);
        ledger.connect(peer(1));
        assertEquals(1, ledger.slotsInUse(peer(1)));
        assertEquals(2, ledger.connectedPeers());
    }

    @Test
    void selfIntroductionIsAProgrammingError() {
        connect(1);
        assertThrows(IllegalArgumentException.class, () -> ledger.tryIntroduce(peer(1), peer(1), 5, 5));
    }

    @Test
    void manyThreadsIntroducingToOneTargetNeverPassItsCap() throws Exception {
        int initiators = 400;
        connect(0);
        for (int i = 1; i <= initiators; i++) {
            ledger.connect(peer(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int first = t * (initiators / 4) + 1;
            results.add(pool.submit(() -> {
                start.await();
                int allowed = 0;
                for (int i = first; i < first + initiators / 4; i++) {
                    if (ledger.tryIntroduce(peer(i), peer(0), 5, 7).allowed()) {
                        allowed++;
                    }
                    if (i % 3 == 0) {
                        ledger.release(peer(i));
                    }
                }
                return allowed;
            }));
        }
        start.countDown();
        int allowed = 0;
        for (Future<Integer> f : results) {
            allowed += f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(ledger.slotsInUse(peer(0)) <= 7, "slots " + ledger.slotsInUse(peer(0)));
        assertTrue(allowed >= 7, "allowed " + allowed);
    }
}
