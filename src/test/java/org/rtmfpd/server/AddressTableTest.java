package org.rtmfpd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.session.AcceptingListener;
import org.rtmfpd.session.Session;
import org.rtmfpd.session.SessionSettings;

/** The dispatcher's sessions by far address: the same answers as a hash map through puts, removes and growth. */
class AddressTableTest {
    private static int nextId = 1;

    private static Session session(InetSocketAddress far) {
        return new Session(nextId++, 1, false, far, new byte[32], PacketCipher.DEFAULT, (to, d) -> { }, () -> 0,
                SessionSettings.DEFAULT, AcceptingListener.INSTANCE);
    }

    private static InetSocketAddress address(int host, int port) throws UnknownHostException {
        byte[] a = {127, 0, (byte) (host >> 8), (byte) host};
        return new InetSocketAddress(InetAddress.getByAddress(a), port);
    }

    @Test
    void answersAsAHashMapDoesThroughPutsRemovesAndGrowth() throws UnknownHostException {
        AddressTable table = new AddressTable();
        Map<InetSocketAddress, Session> reference = new HashMap<>();
        Random random = new Random(5);
        for (int step = 0; step < 200_000; step++) {
            // Few hosts and ports: the addresses collide in the table's slots and make long probe runs.
            InetSocketAddress a = address(random.nextInt(64), 40_000 + random.nextInt(64));
            Session present = reference.get(a);
            int op = random.nextInt(4);
            if (op == 0 || present == null && op == 1) {
                Session s = session(a);
                assertSame(present, table.put(s), "the session displaced");
                reference.put(a, s);
            } else if (present != null && op == 1) {
                assertFalse(table.remove(a, session(a)), "another session at the same address");
                assertTrue(table.remove(a, present));
                reference.remove(a);
            } else {
                assertSame(present, table.get(a));
            }
            if (step % 1_000 == 0) {
                assertEquals(reference.size(), table.size());
                for (Map.Entry<InetSocketAddress, Session> e : reference.entrySet()) {
                    assertSame(e.getValue(), table.get(e.getKey()));
                }
                assertEquals(new HashSet<>(reference.values()), new HashSet<>(table.snapshot()));
            }
        }
    }

    @Test
    void aSessionPutAgainAtItsAddressDisplacesNothing() throws UnknownHostException {
        AddressTable table = new AddressTable();
        Session s = session(address(1, 40_000));
        assertNull(table.put(s));
        assertNull(table.put(s));
        assertEquals(1, table.size());
        assertTrue(table.containsKey(address(1, 40_000)));
        assertFalse(table.containsKey(address(1, 40_001)));
    }
}
