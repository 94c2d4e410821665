package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rtmfpd.wire.StartupChunksTest.decodeOne;

import java.util.List;
import org.junit.jupiter.api.Test;

class UserDataTest {
    /** A connect command's first bytes: TC message type 0x14, timestamp 0, AMF0 string "connect". */
    static final byte[] CONNECT = Bytes.hex("14 00 00 00 00 02 00 07 63 6f 6e 6e 65 63 74");
    static final OptionList NET_CONNECTION_METADATA = OptionList.of(Option.of(0, Bytes.hex("54 43 04 00")));

    @Test
    void firstChunkOfTheNetConnectionFlow() {
        byte[] bytes = Bytes.concat(Bytes.hex("10 00 1a | 80 02 01 01 | 05 00 54 43 04 00 | 00"), CONNECT);
        UserData data = (UserData) decodeOne(bytes);
        assertEquals(UserData.OPT, data.flags());
        assertEquals(2, data.flowId());
        assertEquals(1, data.sequenceNumber());
        assertEquals(1, data.fsnOffset());
        assertEquals(0, data.forwardSequenceNumber());
        assertEquals(UserData.FRA_WHOLE, data.fragmentation());
        assertEquals(NET_CONNECTION_METADATA, data.options());
        assertArrayEquals(CONNECT, data.data());
    }

    @Test
    void serverReturnFlowAssociatedToTheClientFlow() {
        UserData data = (UserData) decodeOne(Bytes.hex("10 00 0f | 80 03 01 01 | 05 00 54 43 04 00 | 02 0a 02 | 00 | 14"));
        assertEquals(List.of(Option.of(0, Bytes.hex("54 43 04 00")), Option.ofVlu(0x0a, 2)), data.options().options());
    }

    @Test
    void withoutOptFlagTheOptionsAreEmptyAndNotOnTheWire() {
        UserData data = (UserData) decodeOne(Bytes.hex("10 00 07 | 31 02 05 02 | aa bb cc"));
        assertEquals(OptionList.EMPTY, data.options());
        assertEquals(UserData.FRA_MIDDLE, data.fragmentation());
        assertEquals(UserData.FIN, data.flags() & UserData.FIN);
        assertEquals(3, data.forwardSequenceNumber());
        assertArrayEquals(Bytes.hex("aa bb cc"), data.data());
    }

    @Test
    void optFlagWithoutEndMarkerThrows() {
        assertThrows(WireException.class, () -> UserData.decode(Bytes.buf("80 02 01 01 | 05 00 54 43 04 00")));
    }

    @Test
    void fsnOffsetBeyondTheSequenceNumberThrows() {
        assertThrows(WireException.class, () -> UserData.decode(Bytes.buf("00 02 01 02")));
        assertThrows(IllegalArgumentException.class, () -> new UserData(0, 2, 1, 2, OptionList.EMPTY, new byte[0]));
    }

    @Test
    void truncatedFixedFieldsThrow() {
        assertThrows(WireException.class, () -> UserData.decode(Bytes.buf("")));
        assertThrows(WireException.class, () -> UserData.decode(Bytes.buf("00 02 01")));
        assertThrows(WireException.class, () -> NextUserData.decode(Bytes.buf("")));
    }

    @Test
    void optionsNeedTheOptFlag() {
        assertThrows(IllegalArgumentException.class,
                () -> new UserData(0, 2, 1, 1, NET_CONNECTION_METADATA, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new NextUserData(0, NET_CONNECTION_METADATA, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new NextUserData(0x100, OptionList.EMPTY, new byte[0]));
    }

    @Test
    void nextUserDataContinuesThePreviousChunk() {
        List<Chunk> chunks = Chunks.decode(Bytes.buf("10 00 06 | 10 02 07 03 | aa bb | 11 00 02 | 30 cc | 11 00 02 | 20 dd"));
        UserData first = (UserData) chunks.get(0);
        UserData second = ((NextUserData) chunks.get(1)).following(first);
        UserData third = ((NextUserData) chunks.get(2)).following(second);
        assertEquals(new UserData(0x30, 2, 8, 4, OptionList.EMPTY, Bytes.hex("cc")), second);
        assertEquals(new UserData(0x20, 2, 9, 5, OptionList.EMPTY, Bytes.hex("dd")), third);
        assertEquals(first.forwardSequenceNumber(), third.forwardSequenceNumber());
    }

    @Test
    void nextUserDataWithOptions() {
        NextUserData next = (NextUserData) decodeOne(Bytes.hex("11 00 05 | 80 02 0a 02 | 00"));
        assertEquals(OptionList.of(Option.ofVlu(0x0a, 2)), next.options());
    }

    @Test
    void nextUserDataPastTheLastSequenceNumberThrows() {
        UserData last = new UserData(0, 1, Long.MAX_VALUE, 0, OptionList.EMPTY, new byte[0]);
        NextUserData next = new NextUserData(0, OptionList.EMPTY, new byte[0]);
        assertThrows(WireException.class, () -> next.following(last));
    }
}
