package org.rtmfpd.rendezvous;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdTest {
    private static final String HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    private static byte[] counting() {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void hexRoundTripsInLowercase() {
        PeerId id = PeerId.of(counting());
        assertEquals(HEX, id.toHex());
        assertEquals(id, PeerId.fromHex(HEX));
        assertEquals(id, PeerId.fromHex(HEX.toUpperCase()));
        assertEquals(HEX, PeerId.fromHex(HEX.toUpperCase()).toHex());
        assertEquals(HEX, id.toString());
    }

    @Test
    void highBytesAreUnsignedInHex() {
        byte[] b = new byte[32];
        b[0] = (byte) 0xff;
        b[31] = (byte) 0x80;
        String hex = PeerId.of(b).toHex();
        assertTrue(hex.startsWith("ff00"), hex);
        assertTrue(hex.endsWith("0080"), hex);
    }

    @Test
    void equalByContentNotIdentity() {
        PeerId a = PeerId.of(counting());
        PeerId b = PeerId.of(counting());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Ids.peer(1));
        assertNotEquals(Ids.peer(1), Ids.peer(2));
    }

    @Test
    void isImmutable() {
        byte[] source = counting();
        PeerId id = PeerId.of(source);
        source[0] = 42;
        id.bytes()[1] = 42;
        assertArrayEquals(counting(), id.bytes());
    }

    @Test
    void ofRejectsWrongLengths() {
        assertThrows(IllegalArgumentException.class, () -> PeerId.of(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> PeerId.of(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> PeerId.of(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> PeerId.of(null));
        assertThrows(IllegalArgumentException.class, () -> GroupId.of(new byte[16]));
    }

    @Test
    void fromHexRejectsBadText() {
        assertThrows(IllegalArgumentException.class, () -> PeerId.fromHex(HEX.substring(2)));
        assertThrows(IllegalArgumentException.class, () -> PeerId.fromHex(HEX + "00"));
        assertThrows(IllegalArgumentException.class, () -> PeerId.fromHex("g" + HEX.substring(1)));
        assertThrows(IllegalArgumentException.class, () -> PeerId.fromHex(HEX.substring(1) + " "));
        // Non-ASCII digits (here FULLWIDTH DIGIT ONE) are digits to Character.digit, not hex.
        assertThrows(IllegalArgumentException.class, () -> PeerId.fromHex("\uFF11" + HEX.substring(1)));
        assertThrows(IllegalArgumentException.class, () -> PeerId.fromHex(null));
    }

    @Test
    void groupIdBehavesTheSameAndIsADifferentType() {
        GroupId g = GroupId.fromHex(HEX);
        assertEquals(HEX, g.toHex());
        assertEquals(GroupId.of(counting()), g);
        assertNotEquals(g, PeerId.fromHex(HEX));
    }
}
