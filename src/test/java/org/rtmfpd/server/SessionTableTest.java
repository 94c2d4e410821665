package org.rtmfpd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.session.Session;
import org.rtmfpd.session.SessionListener;
import org.rtmfpd.session.SessionSettings;

/** The dispatcher's sessions by ID: the same answers as a hash map through adds, removes and growth. */
class SessionTableTest {
    private static final InetSocketAddress FAR = new InetSocketAddress("127.0.0.1", 40000);
    private static final SessionListener IGNORE = org.rtmfpd.session.AcceptingListener.INSTANCE;

    private static Session session(int id) {
        return new Session(id, 1, false, FAR, new byte[32], PacketCipher.DEFAULT, (to, d) -> { }, () -> 0,
                SessionSettings.DEFAULT, IGNORE);
    }

    @Test
    void answersAsAHashMapDoesThroughAddsRemovesAndGrowth() {
        SessionTable table = new SessionTable();
        Map<Integer, Session> reference = new HashMap<>();
        Random random = new Random(3);
        for (int step = 0; step < 200_000; step++) {
            // IDs from a small range collide in the table's slots and make long probe runs.
            int id = random.nextInt(4_000) * (random.nextBoolean() ? 1 : 65_536);
            Session present = reference.get(id);
            if (present == null && random.nextInt(3) > 0) {
                Session s = session(id);
                table.add(s);
                reference.put(id, s);
            } else if (present != null) {
                assertTrue(table.remove(present));
                reference.remove(id);
            }
            if (step % 1_000 == 0) {
                assertEquals(reference.size(), table.size());
                for (Map.Entry<Integer, Session> e : reference.entrySet()) {
                    assertSame(e.getValue(), table.get(e.getKey()));
                }
                assertEquals(new HashSet<>(reference.values()), new HashSet<>(table.snapshot()));
            }
        }
    }

    @Test
    void removingASessionNotThereChangesNothing() {
        SessionTable table = new SessionTable();
        List<Session> held = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            Session s = session(i);
            table.add(s);
            held.add(s);
        }
        assertFalse(table.remove(session(7)), "another session object with a held ID");
        assertEquals(100, table.size());
        assertNull(table.get(101));
        assertFalse(table.containsKey(0));
        for (Session s : held) {
            assertSame(s, table.get(s.nearId()));
        }
    }
}
