package org.rtmfpd.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hashed timer wheel: order, moves, cancels, far deadlines, many timers, clock jumps. */
class TimerWheelTest {
    private final TimerWheel<String> wheel = new TimerWheel<>(10, 16, 1_000); // one turn: 160 ms
    private final List<String> fired = new ArrayList<>();

    private void expire(long now) {
        wheel.expire(now, fired::add);
    }

    @Test
    void firesAtTheDeadlineNotBeforeAndInDeadlineOrder() {
        wheel.newTimer("c").schedule(1_057);
        wheel.newTimer("a").schedule(1_051);
        wheel.newTimer("b").schedule(1_053); // same 10 ms slot as a and c
        wheel.newTimer("d").schedule(1_030);
        expire(1_029);
        assertEquals(List.of(), fired);
        expire(1_030);
        assertEquals(List.of("d"), fired);
        expire(1_052);
        assertEquals(List.of("d", "a"), fired, "b and c share a's slot but are not due");
        expire(1_100);
        assertEquals(List.of("d", "a", "b", "c"), fired);
        assertEquals(0, wheel.size());
    }

    @Test
    void timersDueInOneCallFireEarliestFirstAcrossSlots() {
        wheel.newTimer("late").schedule(1_090);
        wheel.newTimer("early").schedule(1_011);
        wheel.newTimer("middle").schedule(1_045);
        expire(1_200);
        assertEquals(List.of("early", "middle", "late"), fired);
    }

    @Test
    void cancelAndRescheduleMoveTheTimer() {
        TimerWheel.Timer<String> a = wheel.newTimer("a");
        TimerWheel.Timer<String> b = wheel.newTimer("b");
        a.schedule(1_020);
        b.schedule(1_020);
        a.cancel();
        assertFalse(a.isScheduled());
        b.schedule(1_080); // later
        expire(1_050);
        assertEquals(List.of(), fired);
        b.schedule(1_060);
        a.schedule(1_055);
        assertEquals(2, wheel.size());
        expire(1_070);
        assertEquals(List.of("a", "b"), fired);
        a.cancel(); // cancelling a timer that fired is harmless
        assertEquals(0, wheel.size());
    }

    @Test
    void anActionMayRescheduleItsOwnTimerOrCancelAnotherDueOne() {
        TimerWheel.Timer<String> a = wheel.newTimer("a");
        TimerWheel.Timer<String> b = wheel.newTimer("b");
        a.schedule(1_010);
        b.schedule(1_020);
        wheel.expire(1_030, owner -> {
            fired.add(owner);
            if (owner.equals("a")) {
                a.schedule(1_100);
                b.cancel();
            }
        });
        assertEquals(List.of("a"), fired, "b was cancelled by a's action before its turn");
        assertTrue(a.isScheduled());
        expire(1_099);
        assertEquals(List.of("a"), fired);
        expire(1_100);
        assertEquals(List.of("a", "a"), fired);
    }

    @Test
    void aDeadlineAlreadyPastFiresOnTheNextCall() {
        expire(1_500);
        wheel.newTimer("past").schedule(1_200);
        expire(1_500);
        assertEquals(List.of("past"), fired);
    }

    @Test
    void aDeadlineBeyondOneTurnWaitsForItsTurn() {
        wheel.newTimer("far").schedule(1_000 + 3 * 160 + 5); // three turns and a bit
        for (long now = 1_000; now < 1_485; now += 7) {
            expire(now);
        }
        assertEquals(List.of(), fired);
        expire(1_485);
        assertEquals(List.of("far"), fired);
    }

    @Test
    void aClockJumpOfManyTurnsFiresEverythingDueOnce() {
        for (int i = 0; i < 100; i++) {
            wheel.newTimer("t" + i).schedule(1_000 + i * 37L);
        }
        assertEquals(100, wheel.expire(1_000_000, fired::add));
        assertEquals(100, fired.size());
        assertEquals("t0", fired.get(0));
        assertEquals("t99", fired.get(99));
    }

    @Test
    void manyTimersFireExactlyOnceEachInDeadlineOrder() {
        TimerWheel<Integer> big = new TimerWheel<>(64, 2048, 0);
        Random random = new Random(1);
        long[] deadlines = new long[100_000];
        List<TimerWheel.Timer<Integer>> timers = new ArrayList<>();
        for (int i = 0; i < deadlines.length; i++) {
            deadlines[i] = random.nextInt(300_000); // beyond one turn (131 s) too
            TimerWheel.Timer<Integer> t = big.newTimer(i);
            t.schedule(deadlines[i]);
            timers.add(t);
        }
        for (int i = 0; i < deadlines.length; i += 3) { // move a third later, cancel a tenth
            deadlines[i] += 1_000;
            timers.get(i).schedule(deadlines[i]);
        }
        for (int i = 0; i < deadlines.length; i += 10) {
            timers.get(i).cancel();
            deadlines[i] = -1;
        }
        int[] seen = new int[deadlines.length];
        long[] lastFired = {Long.MIN_VALUE};
        for (long now = 0; now <= 302_000; now += 100) {
            long at = now;
            big.expire(now, i -> {
                seen[i]++;
                assertTrue(deadlines[i] <= at && deadlines[i] > at - 100, "fires on the first call at its deadline");
                assertTrue(deadlines[i] >= lastFired[0], "in deadline order");
                lastFired[0] = deadlines[i];
            });
        }
        for (int i = 0; i < deadlines.length; i++) {
            assertEquals(deadlines[i] < 0 ? 0 : 1, seen[i], "timer " + i);
        }
        assertEquals(0, big.size());
    }

    @Test
    void expiryVisitsOnlyTheSlotsThatPassed() {
        // An idle owner is not handed out between its deadlines, however often the wheel is driven.
        int[] calls = {0};
        TimerWheel.Timer<String> idle = wheel.newTimer("idle");
        idle.schedule(1_150);
        for (long now = 1_000; now < 1_150; now++) {
            wheel.expire(now, owner -> calls[0]++);
        }
        assertEquals(0, calls[0]);
        wheel.expire(1_150, owner -> calls[0]++);
        assertEquals(1, calls[0]);
    }

    @Test
    void slotsMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel<>(10, 12, 0));
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel<>(0, 16, 0));
    }
}
