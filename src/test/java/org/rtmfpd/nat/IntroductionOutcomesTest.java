package org.rtmfpd.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntroductionOutcomesTest {
    private static final InetSocketAddress A = new InetSocketAddress("198.51.100.1", 4000);
    private static final InetSocketAddress B = new InetSocketAddress("198.51.100.2", 4000);
    private long now = 10_000;
    private final List<String> decided = new ArrayList<>();
    private final IntroductionOutcomes outcomes = new IntroductionOutcomes(() -> now,
            (outcome, key) -> decided.add(outcome.label() + " " + key));

    /** Flash's IHello schedule: the first repetition after 1 s, each later gap 1.5 s longer. */
    private static final long[] FLASH_RETRIES = {0, 1_000, 3_500, 7_500, 13_000, 20_000, 28_500, 38_500, 50_000, 63_000};

    private void advanceTo(long at, long start) {
        while (now < start + at) {
            now += 100;
            outcomes.tick();
        }
    }

    @Test
    void aPairThatStopsAskingSettlesOnceItHasBeenQuiet() {
        long start = now;
        outcomes.introduced(A, "t1", "app");
        advanceTo(1_000, start);
        outcomes.introduced(A, "t1", "app");
        advanceTo(1_000 + IntroductionOutcomes.QUIET_MILLIS - 100, start);
        assertEquals(List.of(), decided);
        advanceTo(1_000 + IntroductionOutcomes.QUIET_MILLIS, start);
        assertEquals(List.of("settled app"), decided);
        assertEquals(0, outcomes.size());
    }

    @Test
    void aPairStillAskingAfterTheWindowIsUnsettledOnceAndForgottenWhenQuiet() {
        long start = now;
        for (long at : FLASH_RETRIES) {
            advanceTo(at, start);
            outcomes.introduced(B, "t2", "app");
            assertEquals(at >= IntroductionOutcomes.WINDOW_MILLIS ? List.of("unsettled app") : List.of(), decided,
                    "at " + at);
        }
        advanceTo(FLASH_RETRIES[FLASH_RETRIES.length - 1] + IntroductionOutcomes.UNSETTLED_MEMORY_MILLIS, start);
        assertEquals(List.of("unsettled app"), decided, "counted once");
        assertEquals(0, outcomes.size());
        outcomes.introduced(B, "t2", "app");
        assertEquals(1, outcomes.size(), "asking again after quiet is a new attempt");
    }

    @Test
    void flashRetriesWithinTheWindowNeverLookQuiet() {
        long start = now;
        for (long at : FLASH_RETRIES) {
            if (at >= IntroductionOutcomes.WINDOW_MILLIS) {
                break;
            }
            advanceTo(at, start);
            outcomes.introduced(A, "t3", "app");
            assertEquals(List.of(), decided, "at " + at);
        }
    }

    @Test
    void pairsAreCountedApartAndByTheirKey() {
        outcomes.introduced(A, "t1", "one");
        outcomes.introduced(B, "t1", "two");
        outcomes.introduced(A, "t2", "one");
        assertEquals(3, outcomes.size());
        now += IntroductionOutcomes.QUIET_MILLIS;
        outcomes.tick();
        assertEquals(List.of("settled one", "settled two", "settled one"), decided);
    }

    @Test
    void pairsPastTheCapAreNotFollowed() {
        for (int i = 0; i < IntroductionOutcomes.MAX_PAIRS; i++) {
            outcomes.introduced(A, Integer.toString(i), "k");
        }
        outcomes.introduced(B, "x", "k");
        assertEquals(IntroductionOutcomes.MAX_PAIRS, outcomes.size());
        assertEquals(1, outcomes.untracked());
    }
}
