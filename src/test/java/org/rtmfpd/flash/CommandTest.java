package org.rtmfpd.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rtmfpd.flash.amf.Undefined;
import org.rtmfpd.wire.WireException;

class CommandTest {
    /**
     * A connect as Flash Player 32 sends it to rtmfp://127.0.0.1/DEVKEY: COMMAND_AMF0, timestamp 0,
     * "connect", 1, and the command object; swfUrl and pageUrl are undefined when the SWF runs
     * standalone. Bytes written out by hand (and checked with Python's struct), not by our encoder.
     */
    static final String FLASH_CONNECT = "14 00000000"
            + "02 0007 636f6e6e656374"                                  // "connect"
            + "00 3ff0000000000000"                                     // 1.0
            + "03"
            + "0003 617070 02 0006 4445564b4559"                        // app: "DEVKEY"
            + "0008 666c61736856657202 000e 57494e2033322c302c302c343635" // flashVer: "WIN 32,0,0,465"
            + "0006 73776655726c 06"                                    // swfUrl: undefined
            + "0005 746355726c 02 0018 72746d66703a2f2f3132372e302e302e312f4445564b4559"
            + "0004 66706164 01 00"                                     // fpad: false
            + "000c 6361706162696c6974696573 00 406d600000000000"       // capabilities: 235
            + "000b 617564696f436f64656373 00 40abee0000000000"         // audioCodecs: 3575
            + "000b 766964656f436f64656373 00 406f800000000000"         // videoCodecs: 252
            + "000d 766964656f46756e6374696f6e 00 3ff0000000000000"     // videoFunction: 1
            + "0007 7061676555726c 06"                                  // pageUrl: undefined
            + "000e 6f626a656374456e636f64696e67 00 4008000000000000"   // objectEncoding: 3
            + "000009";

    @Test
    void decodesAConnectAsFlashSendsIt() {
        Command connect = Command.from(TcMessage.parse(Hex.bytes(FLASH_CONNECT)));
        assertEquals("connect", connect.name());
        assertEquals(1.0, connect.transactionId());
        assertTrue(connect.arguments().isEmpty());
        Map<?, ?> object = (Map<?, ?>) connect.commandObject();
        assertEquals(List.of("app", "flashVer", "swfUrl", "tcUrl", "fpad", "capabilities", "audioCodecs",
                "videoCodecs", "videoFunction", "pageUrl", "objectEncoding"), new ArrayList<>(object.keySet()));
        assertEquals("DEVKEY", object.get("app"));
        assertEquals("WIN 32,0,0,465", object.get("flashVer"));
        assertEquals("rtmfp://127.0.0.1/DEVKEY", object.get("tcUrl"));
        assertEquals(Undefined.VALUE, object.get("swfUrl"));
        assertEquals(false, object.get("fpad"));
        assertEquals(3575.0, object.get("audioCodecs"));
        assertEquals(3.0, object.get("objectEncoding"));
    }

    @Test
    void reEncodesTheConnectToTheSameBytes() {
        Command connect = Command.from(TcMessage.parse(Hex.bytes(FLASH_CONNECT)));
        assertEquals(Hex.of(Hex.bytes(FLASH_CONNECT)), Hex.of(connect.toMessage().toBytes()));
    }

    @Test
    void amf3CommandSkipsItsFormatByteAndReadsSwitchedValues() {
        String amf0Body = FLASH_CONNECT.substring("14 00000000".length());
        Command fromAmf3 = Command.from(TcMessage.parse(Hex.bytes("11 00000000 00" + amf0Body)));
        assertEquals(Command.from(TcMessage.parse(Hex.bytes(FLASH_CONNECT))), fromAmf3);

        // setPeerInfo from an AMF3 client, its address switched to an AMF3 string
        Command setPeerInfo = Command.from(TcMessage.parse(Hex.bytes("11 00000000 00"
                + "02 000b 7365745065657249 6e666f" + "00 0000000000000000" + "05"
                + "11 06 21 3139322e3136382e312e353a31393335")));
        assertEquals("setPeerInfo", setPeerInfo.name());
        assertNull(setPeerInfo.commandObject());
        assertEquals(List.of("192.168.1.5:1935"), setPeerInfo.arguments());
    }

    @Test
    void amf3FormatOtherThanZeroIsRejected() {
        assertThrows(WireException.class, () -> Command.from(TcMessage.parse(Hex.bytes("11 00000000 01 02 0001 61 00 0000000000000000"))));
        assertThrows(WireException.class, () -> Command.from(TcMessage.parse(Hex.bytes("11 00000000"))));
    }

    @Test
    void nameAndTransactionIdAreRequired() {
        assertThrows(WireException.class, () -> Command.from(TcMessage.parse(Hex.bytes("14 00000000 02 0001 61"))));
        assertThrows(WireException.class, () -> Command.from(TcMessage.parse(Hex.bytes("14 00000000 05 00 3ff0000000000000"))));
        assertThrows(WireException.class, () -> Command.from(TcMessage.parse(Hex.bytes("14 00000000 02 0001 61 02 0001 61"))));
        assertThrows(WireException.class, () -> Command.from(TcMessage.parse(Hex.bytes("12 00000000 02 0001 61 00 3ff0000000000000"))));
    }

    @Test
    void missingCommandObjectIsNull() {
        Command c = Command.from(TcMessage.parse(Hex.bytes("14 00000000 02 0001 61 00 4000000000000000")));
        assertEquals(new Command("a", 2, null, List.of()), c);
    }

    @Test
    void argumentsFollowTheCommandObject() {
        Command c = Command.from(TcMessage.parse(Hex.bytes("14 00000000 02 0001 61 00 0000000000000000 05 05 02 0001 62")));
        assertEquals(java.util.Arrays.asList(null, "b"), c.arguments());
    }
}
