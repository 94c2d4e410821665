package org.rtmfpd.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sessions whose timers run from a {@link TimerWheel} do exactly what sessions ticked every 100 ms do,
 * datagram for datagram, while the wheel hands a session out only when it has work.
 */
class SessionTimerWheelTest {
    private static final long STEP = 100;
    private static final SessionSettings SERVER_LIKE = SessionSettings.forServer(15_000);

    /** What a scripted run sent: each datagram with the time and the direction. */
    private record Sent(long at, boolean toResponder, byte[] datagram) {
    }

    /**
     * One seeded script: messages of random sizes both ways, random loss, silences long enough for
     * keepalives and probes, then either a close or an idle timeout.
     */
    private static List<Sent> run(long seed, SessionSettings settings, boolean onWheel, int[] wheelVisits) {
        SessionPair pair = new SessionPair(settings, seed % 2 == 0, onWheel);
        Random random = new Random(seed);
        List<Sent> sent = new ArrayList<>();
        SendFlow a = pair.initiator.openFlow(new byte[] {'A'}, -1);
        SendFlow b = pair.responder.openFlow(new byte[] {'B'}, -1);
        boolean silent = false;
        for (int step = 0; step < 3_000; step++) { // 300 s
            pair.clock.advance(STEP);
            if (step % 400 == 0) {
                silent = random.nextInt(3) == 0; // 40 s stretches with nothing delivered
            }
            if (!silent && random.nextInt(20) == 0) {
                (random.nextBoolean() ? a : b).send(new byte[1 + random.nextInt(3_000)]);
                pair.initiator.flush();
                pair.responder.flush();
            }
            if (step == 2_500 && seed % 3 == 0) {
                pair.initiator.close();
            }
            if (onWheel) {
                int before = pair.wheel.size();
                int fired = pair.wheel.expire(pair.clock.now, Session::tick);
                wheelVisits[0] += fired;
                assertTrue(fired <= before);
            } else {
                pair.tick();
            }
            drain(pair, random, silent, sent);
        }
        return sent;
    }

    private static void drain(SessionPair pair, Random random, boolean silent, List<Sent> sent) {
        while (!pair.toResponder.isEmpty() || !pair.toInitiator.isEmpty()) {
            boolean toResponder = !pair.toResponder.isEmpty();
            byte[] d = (toResponder ? pair.toResponder : pair.toInitiator).poll();
            sent.add(new Sent(pair.clock.now, toResponder, d));
            if (silent || random.nextInt(10) == 0) {
                continue; // lost
            }
            Session to = toResponder ? pair.responder : pair.initiator;
            to.receive(Datagrams.decode(d, to.cipher()),
                    toResponder ? SessionPair.INITIATOR_ADDRESS : SessionPair.RESPONDER_ADDRESS);
        }
    }

    @Test
    void onAWheelSessionsSendWhatTickedSessionsSendDatagramForDatagram() {
        for (long seed = 1; seed <= 12; seed++) {
            for (SessionSettings settings : List.of(SessionSettings.DEFAULT, SERVER_LIKE)) {
                int[] visits = {0};
                List<Sent> ticked = run(seed, settings, false, visits);
                List<Sent> wheeled = run(seed, settings, true, visits);
                assertEquals(ticked.size(), wheeled.size(), "seed " + seed);
                for (int i = 0; i < ticked.size(); i++) {
                    Sent x = ticked.get(i);
                    Sent y = wheeled.get(i);
                    assertEquals(x.at(), y.at(), "seed " + seed + ", datagram " + i);
                    assertEquals(x.toResponder(), y.toResponder(), "seed " + seed + ", datagram " + i);
                    assertArrayEquals(x.datagram(), y.datagram(), "seed " + seed + ", datagram " + i);
                }
                assertTrue(visits[0] < 2 * 3_000 / 4, "the wheel handed the sessions out " + visits[0]
                        + " times in 3,000 steps, the ticks visited them 6,000 times");
            }
        }
    }

    @Test
    void anIdleSessionIsHandedOutOnlyAtItsKeepaliveAndItsIdleTimeout() {
        SessionPair pair = new SessionPair(SessionSettings.DEFAULT, false, true);
        pair.initiator.abort(); // only the responder's timers count here
        pair.wheel.expire(pair.clock.now, s -> s.cancelTimer());
        long start = pair.clock.now;
        List<Long> visits = new ArrayList<>();
        while (pair.clock.now - start <= SessionSettings.DEFAULT.idleTimeoutMillis()) {
            pair.clock.advance(STEP);
            pair.wheel.expire(pair.clock.now, s -> {
                visits.add(pair.clock.now - start);
                s.tick();
            });
        }
        // Keepalives at 30, 60 and 90 s (each a Ping nobody answers), then the idle timeout at 120 s.
        assertEquals(List.of(30_000L, 60_000L, 90_000L, 120_000L), visits);
        assertTrue(pair.responder.isClosed());
        assertFalse(pair.wheel.size() > 0, "a closed session's tick takes it off the wheel");
    }
}
