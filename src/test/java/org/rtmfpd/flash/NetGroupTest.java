package org.rtmfpd.flash;

import org.rtmfpd.rendezvous.PeerId;
import org.rtmfpd.rendezvous.GroupId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.WireException;

class NetGroupTest {
    private static final String GROUP = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    private static final String PEER = "a548dca137d207fad778b3ff1920ada833baf45a2e8ba7aca992ff24a6a4f9eb";

    /** SHA-256("G:0101010c010d080e6d7967726f7570"), computed with Python's hashlib. */
    private static final String V1_ID = "8792397ad8c61cc20672401cb64ba72e87b0e86bd7bd2a11131079faedbe31c3";
    /** SHA-256(SHA-256("G:0101010c010d080e6d7967726f7570027f02")), computed with Python's hashlib. */
    private static final String V2_ID = "d0957d5d66b1d82e22c87fcf3f9044a9f2acba451b578de9d891ca146193cb50";

    private static GroupJoin joinWithGroupspec(String groupspec) {
        byte[] text = groupspec.getBytes(StandardCharsets.US_ASCII);
        ByteBuf message = Unpooled.buffer();
        message.writeByte(GroupJoin.TYPE);
        org.rtmfpd.wire.Vlu.write(message, 1 + text.length);
        message.writeByte(GroupJoin.FLAG_GROUPSPEC).writeBytes(text);
        return GroupJoin.read(message);
    }

    @Test
    void joinWithAGroupIdAsFlashAndLibrtmfpSendIt() {
        GroupJoin join = GroupJoin.parse(Hex.bytes("01 21 15" + GROUP));
        assertEquals(GroupId.fromHex(GROUP), join.groupId());
        ByteBuf out = Unpooled.buffer();
        join.write(out);
        assertEquals("012115" + GROUP, Hex.of(ByteBufs.toArray(out)));
    }

    @Test
    void bytesAfterTheJoinAreIgnored() {
        assertEquals(GroupId.fromHex(GROUP), GroupJoin.parse(Hex.bytes("01 21 15" + GROUP + "0102")).groupId());
    }

    @Test
    void joinWithAGroupspecHashesTheNamedPart() {
        assertEquals(GroupId.fromHex(V1_ID), joinWithGroupspec("G:0101010c010d080e6d7967726f757000").groupId());
        assertEquals(GroupId.fromHex(V1_ID), joinWithGroupspec("G:0101010c010d080e6d7967726f7570000101").groupId());
        assertEquals(GroupId.fromHex(V1_ID), joinWithGroupspec("G:0101010c010d080e6d7967726f7570").groupId());
    }

    @Test
    void v2GroupspecIsHashedTwice() {
        assertEquals(GroupId.fromHex(V2_ID), joinWithGroupspec("G:0101010c010d080e6d7967726f7570027f0200").groupId());
        assertNotEquals(GroupId.fromHex(V2_ID), joinWithGroupspec("G:0101010c010d080e6d7967726f7570027f0300").groupId());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",                       // nothing
        "02 21 15",               // not a join
        "01",                     // no length
        "01 00",                  // no flag
        "01 21 15 0011",          // length past the message
        "01 02 15 00",            // group ID too short
        "01 01 11",               // unknown flag
        "01 03 10 4730",          // groupspec without "G:"
        "01 05 10 473a3031",      // groupspec option runs past its text
        "01 05 10 473a7a7a",      // groupspec not hex
        "01 04 10 473a30",        // odd hex digit, no end marker
    })
    void malformedJoinsAreRejected(String hex) {
        assertThrows(WireException.class, () -> GroupJoin.parse(Hex.bytes(hex)));
    }

    @Test
    void memberEntryIsTypeThenPeerId() {
        GroupMember member = new GroupMember(PeerId.fromHex(PEER));
        assertEquals("0b" + PEER, Hex.of(member.toBytes()));
        assertEquals(member, GroupMember.read(Hex.buf("0b" + PEER)));
        assertThrows(WireException.class, () -> GroupMember.read(Hex.buf("0c" + PEER)));
        assertThrows(WireException.class, () -> GroupMember.read(Hex.buf("0b" + PEER.substring(2))));
    }

    @Test
    void groupIdIsAValue() {
        assertEquals(GROUP, GroupId.fromHex(GROUP.toUpperCase()).toString());
        assertEquals(GroupId.of(Hex.bytes(GROUP)), GroupId.fromHex(GROUP));
        assertEquals(GroupId.of(Hex.bytes(GROUP)).hashCode(), GroupId.fromHex(GROUP).hashCode());
        assertThrows(IllegalArgumentException.class, () -> GroupId.of(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> GroupId.fromHex(GROUP + "00"));
    }
}
