package org.rtmfpd.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.cluster.RedisClusterStoreTest.addr;
import static org.rtmfpd.rendezvous.Ids.group;
import static org.rtmfpd.rendezvous.Ids.peer;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rtmfpd.wire.PeerAddress;
import org.rtmfpd.wire.PeerAddress.Origin;

class DeliveryCodecTest {
    static Delivery.Forward forward(String ip, int epdLength, int tagLength) {
        byte[] epd = new byte[epdLength];
        Arrays.fill(epd, (byte) 0x0f);
        byte[] tag = new byte[tagLength];
        Arrays.fill(tag, (byte) 0x7a);
        return new Delivery.Forward(peer(1), epd, new PeerAddress(addr(ip, 50123), Origin.OBSERVED), tag);
    }

    static Delivery.Forward roundTrip(Delivery.Forward f) {
        Delivery.Forward back = assertInstanceOf(Delivery.Forward.class, DeliveryCodec.decode(DeliveryCodec.encode(f)));
        assertEquals(f.peer(), back.peer());
        assertArrayEquals(f.epd(), back.epd());
        assertEquals(f.initiator(), back.initiator());
        assertArrayEquals(f.tag(), back.tag());
        return back;
    }

    @Test
    void everyDeliveryComesBackAsItWent() {
        roundTrip(forward("203.0.113.7", 34, 16));
        roundTrip(forward("2001:db8::7", 0, 0));
        roundTrip(forward("::ffff:192.0.2.1", DeliveryCodec.MAX_EPD, 64));
        Delivery.Refer r = new Delivery.Refer(peer(2), group(3), peer(4));
        assertEquals(r, DeliveryCodec.decode(DeliveryCodec.encode(r)));
        Delivery.Evict e = new Delivery.Evict(peer(5));
        assertEquals(e, DeliveryCodec.decode(DeliveryCodec.encode(e)));
    }

    @Test
    void asksAnswersAndPairsComeBackAsTheyWent() {
        byte[] epd = new byte[34];
        Arrays.fill(epd, (byte) 0x21);
        byte[] tag = new byte[16];
        Delivery.Ask ask = new Delivery.Ask(peer(1), peer(2), "node-2.example:1", Long.MAX_VALUE, epd,
                addr("203.0.113.7", 50123), java.util.List.of(addr("10.0.0.2", 50123), addr("2001:db8::7", 1)), tag);
        Delivery.Ask back = assertInstanceOf(Delivery.Ask.class, DeliveryCodec.decode(DeliveryCodec.encode(ask)));
        assertEquals(java.util.List.of(ask.peer(), ask.initiator(), ask.initiatorNode(), ask.ask(), ask.from(),
                ask.reported()), java.util.List.of(back.peer(), back.initiator(), back.initiatorNode(), back.ask(),
                back.from(), back.reported()));
        assertArrayEquals(epd, back.epd());
        assertArrayEquals(tag, back.tag());
        for (Delivery.Verdict v : Delivery.Verdict.values()) {
            Delivery.Answer a = new Delivery.Answer(peer(2), peer(1), "n1", 7, v);
            assertEquals(a, DeliveryCodec.decode(DeliveryCodec.encode(a)));
        }
        for (boolean paired : new boolean[] {true, false}) {
            Delivery.Pair p = new Delivery.Pair(peer(1), peer(2), "n2", paired);
            assertEquals(p, DeliveryCodec.decode(DeliveryCodec.encode(p)));
        }
        assertTrue(DeliveryCodec.encode(ask).length <= DeliveryCodec.MAX_MESSAGE);
        byte[] answer = DeliveryCodec.encode(new Delivery.Answer(peer(2), peer(1), "n1", 7, Delivery.Verdict.REPEAT));
        answer[answer.length - 1] = 9;
        assertTrue(rejection(answer).contains("unknown verdict 9"));
        byte[] pair = DeliveryCodec.encode(new Delivery.Pair(peer(1), peer(2), "n2", true));
        pair[pair.length - 1] = 2;
        assertTrue(rejection(pair).contains("pair flag 2"));
        byte[] noNode = DeliveryCodec.encode(new Delivery.Pair(peer(1), peer(2), "n2", true));
        noNode[2 + 64] = 0;
        assertTrue(rejection(noNode).contains("node name of 0 bytes"));
        assertThrows(IllegalArgumentException.class, () -> DeliveryCodec.encode(new Delivery.Pair(peer(1), peer(2),
                "n".repeat(101), true)));
    }

    @Test
    void messagesAreCompact() {
        assertEquals(2 + 32 + 1 + 34 + 7 + 1 + 16, DeliveryCodec.encode(forward("203.0.113.7", 34, 16)).length);
        assertEquals(2 + 96, DeliveryCodec.encode(new Delivery.Refer(peer(2), group(3), peer(4))).length);
        assertEquals(34, DeliveryCodec.encode(new Delivery.Evict(peer(5))).length);
    }

    @Test
    void oversizedFieldsAreNotEncoded() {
        assertThrows(IllegalArgumentException.class, () -> DeliveryCodec.encode(forward("203.0.113.7", 256, 16)));
        assertThrows(IllegalArgumentException.class, () -> DeliveryCodec.encode(forward("203.0.113.7", 34, 65)));
    }

    static String rejection(byte[] b) {
        return assertThrows(IllegalArgumentException.class, () -> DeliveryCodec.decode(b)).getMessage();
    }

    @Test
    void malformedInputIsRejectedWithAReason() {
        byte[] good = DeliveryCodec.encode(forward("203.0.113.7", 34, 16));
        assertTrue(rejection(new byte[3]).contains("at least 34"));
        assertTrue(rejection(null).contains("at least 34"));
        byte[] v = good.clone();
        v[0] = 9;
        assertTrue(rejection(v).contains("version 9"));
        byte[] t = good.clone();
        t[1] = 7;
        assertTrue(rejection(t).contains("unknown delivery type 7"));
        assertTrue(rejection(Arrays.copyOf(good, good.length - 1)).contains("cut short"));
        assertTrue(rejection(Arrays.copyOf(good, good.length + 1)).contains("1 bytes after the end"));
        assertTrue(rejection(new byte[DeliveryCodec.MAX_MESSAGE + 1]).contains("the limit is"));
        byte[] flags = good.clone();
        flags[2 + 32 + 1 + 34] = 0x04;
        assertTrue(rejection(flags).contains("reserved bits"));
        byte[] longTag = Arrays.copyOf(good, good.length + 60);
        longTag[good.length - 17] = 76; // tag length 76 > 64
        assertTrue(rejection(longTag).contains("tag of 76 bytes"));
        byte[] evictWithBody = Arrays.copyOf(DeliveryCodec.encode(new Delivery.Evict(peer(5))), 35);
        assertTrue(rejection(evictWithBody).contains("after the end"));
    }
}
