package org.rtmfpd.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Who introduces whom with and without --target-server, and the server CPU summed over several processes. */
class BenchPairingTest {
    @Test
    void withoutATargetServerTheConnectedPairOffInOrder() {
        Bench.Pairing p = Bench.Pairing.of(new int[] {0, 1, 3, 4, 5, 6, 7, 8}, 3, false);
        assertArrayEquals(new int[] {0, 3, 5}, p.initiators());
        assertArrayEquals(new int[] {1, 4, 6}, p.targets());
        assertArrayEquals(new int[] {7, 8}, p.rest());
        Bench.Pairing few = Bench.Pairing.of(new int[] {2, 9, 11}, 5, false);
        assertEquals(1, few.pairs());
        assertArrayEquals(new int[] {11}, few.rest());
    }

    @Test
    void withATargetServerRolesFollowTheSlots() {
        assertTrue(Bench.onTargetServer(1, 3));
        assertTrue(Bench.onTargetServer(5, 3));
        assertFalse(Bench.onTargetServer(0, 3));
        assertFalse(Bench.onTargetServer(4, 3));
        assertFalse(Bench.onTargetServer(7, 3), "slots from 2 x --pairs on stay on --server");
        assertFalse(Bench.onTargetServer(1, 0));
        // slot 1 (a target) and slot 4 (an initiator) did not connect
        Bench.Pairing p = Bench.Pairing.of(new int[] {0, 2, 3, 5, 6, 7, 8}, 3, true);
        assertArrayEquals(new int[] {0, 2}, p.initiators());
        assertArrayEquals(new int[] {3, 5}, p.targets());
        assertArrayEquals(new int[] {6, 7, 8}, p.rest(), "only clients of --server join groups");
        for (int k = 0; k < p.pairs(); k++) {
            assertFalse(Bench.onTargetServer(p.initiators()[k], 3));
            assertTrue(Bench.onTargetServer(p.targets()[k], 3));
        }
    }

    @Test
    void readingsSumTheProcessesAndKeepEachOne() {
        ProcStats.Sample[] each = {new ProcStats.Sample(3_000, 1_000, 700), new ProcStats.Sample(5_000, 2_000, 900),
            new ProcStats.Sample(500, 400, 100)};
        assertArrayEquals(new long[] {8_500, 3_400, 3_000, 5_000, 500}, Bench.reading(each));
        assertNull(Bench.reading(null));
        ProcStats.Sample[] later = {new ProcStats.Sample(3_100, 1_000, 700), new ProcStats.Sample(5_300, 2_100, 900),
            new ProcStats.Sample(510, 405, 100)};
        assertArrayEquals(new long[] {410, 105, 100, 300, 10}, Bench.delta(Bench.reading(each), Bench.reading(later)));
        assertThrows(IllegalArgumentException.class, () -> Bench.delta(new long[3], new long[4]));
        assertEquals(new ProcStats.Sample(8_500, 3_400, 700), ProcStats.sum(each));
        assertNull(ProcStats.sum());
    }

    @Test
    void eachProcessShareIsNamed() {
        List<ServerProcess> processes = List.of(new ServerProcess(10, "node-1"), new ServerProcess(11, "node-2"),
                new ServerProcess(12, null));
        assertEquals("pid 10 (node-1) 0.120 s, 12.00 µs/op, 60 %; pid 11 (node-2) 0.060 s, 6.00 µs/op, 30 %; "
                        + "pid 12 0.020 s, 2.00 µs/op, 10 %",
                Bench.processShares(processes, new long[] {120_000_000, 60_000_000, 20_000_000}, 10_000));
        assertEquals("pid 10 (node-1) 0.000 s; pid 11 (node-2) 0.000 s; pid 12 0.000 s",
                Bench.processShares(processes, new long[3], 0));
    }
}
