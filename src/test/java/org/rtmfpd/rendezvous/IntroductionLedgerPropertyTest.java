package org.rtmfpd.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.testing.Generators.forAll;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rtmfpd.testing.Generators;

/**
 * Under any sequence of connects, introductions and releases: no peer ever holds more slots than
 * the cap it was checked against, slots are symmetric, released peers hold and count for nothing,
 * and the ledger agrees with a simple model.
 */
class IntroductionLedgerPropertyTest {
    private static final int PEERS = 12;

    /** One step: kind 0-5 introduce (a, b), 6 release a, 7 connect a. */
    record Step(int kind, int a, int b) {
    }

    private static Step step(Random r) {
        return new Step(Generators.intBetween(r, 0, 7), Generators.intBetween(r, 0, PEERS - 1),
                Generators.intBetween(r, 0, PEERS - 1));
    }

    @Test
    void capsHoldAndReleasedPairsNeverCount() {
        forAll(200, r -> {
            List<Step> steps = Generators.listOf(r, 0, 300, IntroductionLedgerPropertyTest::step);
            capsHoldAndReleasedPairsNeverCount(steps, Generators.intBetween(r, 1, 4));
        });
    }

    private static void capsHoldAndReleasedPairsNeverCount(List<Step> steps, int capBase) {
        IntroductionLedger ledger = new IntroductionLedger();
        Map<Integer, Set<Integer>> model = new HashMap<>();
        Set<Integer> connected = new HashSet<>();
        for (int p = 0; p < PEERS; p++) {
            if (p % 3 != 0) {
                ledger.connect(Ids.peer(p));
                connected.add(p);
                model.put(p, new HashSet<>());
            }
        }
        for (Step s : steps) {
            PeerId a = Ids.peer(s.a());
            PeerId b = Ids.peer(s.b());
            int capA = capBase + s.a() % 3;
            int capB = capBase + s.b() % 3;
            if (s.kind() <= 5) {
                if (s.a() == s.b()) {
                    continue;
                }
                IntroductionLedger.Decision d = ledger.tryIntroduce(a, b, capA, capB);
                IntroductionLedger.Decision expected;
                if (!connected.contains(s.a())) {
                    expected = IntroductionLedger.Decision.REFUSED_INITIATOR_GONE;
                } else if (!connected.contains(s.b())) {
                    expected = IntroductionLedger.Decision.REFUSED_TARGET_GONE;
                } else if (model.get(s.a()).contains(s.b())) {
                    expected = IntroductionLedger.Decision.ALREADY_INTRODUCED;
                } else if (model.get(s.a()).size() >= capA) {
                    expected = IntroductionLedger.Decision.REFUSED_INITIATOR_CAP;
                } else if (model.get(s.b()).size() >= capB) {
                    expected = IntroductionLedger.Decision.REFUSED_TARGET_CAP;
                } else {
                    expected = IntroductionLedger.Decision.INTRODUCED;
                    model.get(s.a()).add(s.b());
                    model.get(s.b()).add(s.a());
                }
                assertEquals(expected, d, s.toString());
            } else if (s.kind() == 6) {
                ledger.release(a);
                connected.remove(s.a());
                Set<Integer> gone = model.remove(s.a());
                if (gone != null) {
                    for (int other : gone) {
                        model.get(other).remove(s.a());
                    }
                }
            } else {
                ledger.connect(a);
                connected.add(s.a());
                model.putIfAbsent(s.a(), new HashSet<>());
            }
            int pairs = 0;
            for (int p = 0; p < PEERS; p++) {
                PeerId id = Ids.peer(p);
                int slots = ledger.slotsInUse(id);
                assertTrue(slots <= capBase + 2, "peer " + p + " holds " + slots);
                if (!connected.contains(p)) {
                    assertEquals(0, slots, "released peer " + p + " still counts");
                }
                for (int q = 0; q < PEERS; q++) {
                    boolean introduced = ledger.introduced(id, Ids.peer(q));
                    assertEquals(introduced, ledger.introduced(Ids.peer(q), id), "asymmetric " + p + "," + q);
                    if (introduced) {
                        assertTrue(connected.contains(p) && connected.contains(q), "pair with a released peer");
                    }
                }
                pairs += slots;
            }
            assertEquals(pairs / 2, ledger.pairCount());
        }
    }
}
