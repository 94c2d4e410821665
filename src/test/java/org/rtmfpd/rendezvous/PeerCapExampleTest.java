package org.rtmfpd.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rtmfpd.rendezvous.Ids.addr;
import static org.rtmfpd.rendezvous.Ids.peer;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The worked example of docs/rendezvous.md, "Peer cap", step by step. */
class PeerCapExampleTest {
    final DeveloperKeys keys = DeveloperKeys.of(List.of(
            new DeveloperKey("app", "", OptionalInt.of(2), OptionalInt.empty())));
    final LocalRendezvous<String> rv = new LocalRendezvous<>(keys::find, 5, () -> Instant.EPOCH, new Random(1));
    final Map<String, Integer> ids = Map.of("A", 1, "B", 2, "C", 3, "D", 4);

    private InetSocketAddress at(String name) {
        return addr("198.51.100." + ids.get(name), 1935);
    }

    private void connect(String name) {
        rv.connected("app", peer(ids.get(name)), at(name), name);
    }

    /** "introduced" or the refusal reason; {@code from}'s name is its session handle. */
    private String ask(String from, String to) {
        Introducer.Outcome<String> o = rv.introduce(peer(ids.get(from)), from, at(from), peer(ids.get(to)),
                new byte[16]).toCompletableFuture().join();
        return o instanceof Introducer.Refused<String> r ? r.reason().name() : "introduced";
    }

    /** The slots of every connected peer, as in the doc's last column. */
    private String slots() {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String p : ids.keySet()) {
            if (!rv.ledger().isConnected(peer(ids.get(p)))) {
                continue;
            }
            Set<String> mine = new TreeSet<>();
            for (String q : ids.keySet()) {
                if (rv.ledger().introduced(peer(ids.get(p)), peer(ids.get(q)))) {
                    mine.add(q);
                }
            }
            out.put(p, mine);
        }
        return out.toString();
    }

    @Test
    void workedExample() {
        for (String p : List.of("A", "B", "C", "D")) {
            connect(p);
        }
        assertEquals("introduced", ask("A", "B"));                                     // 1
        assertEquals("{A=[B], B=[A], C=[], D=[]}", slots());
        assertEquals("introduced", ask("A", "B"));                                     // 2
        assertEquals("introduced", ask("B", "A"));                                     // 3
        assertEquals("{A=[B], B=[A], C=[], D=[]}", slots());
        assertEquals(1, rv.introducer().newPairCount());
        assertEquals("introduced", ask("A", "C"));                                     // 4
        assertEquals("{A=[B, C], B=[A], C=[A], D=[]}", slots());
        assertEquals("INITIATOR_CAP", ask("A", "D"));                                  // 5
        assertEquals("TARGET_CAP", ask("D", "A"));                                     // 6
        assertEquals("{A=[B, C], B=[A], C=[A], D=[]}", slots());
        assertEquals("introduced", ask("D", "C"));                                     // 7
        assertEquals("{A=[B, C], B=[A], C=[A, D], D=[C]}", slots());
        rv.closed(peer(ids.get("B")), "B");                                            // 8
        assertEquals("{A=[C], C=[A, D], D=[C]}", slots());
        assertEquals("introduced", ask("D", "A"));                                     // 9
        assertEquals("{A=[C, D], C=[A, D], D=[A, C]}", slots());
        connect("B");                                                                  // 10
        assertEquals("TARGET_CAP", ask("B", "A"));
    }
}
