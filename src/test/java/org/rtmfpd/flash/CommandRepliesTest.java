package org.rtmfpd.flash;

import org.rtmfpd.rendezvous.PeerId;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reply bytes written out independently (Python struct) and compared byte for byte. */
class CommandRepliesTest {
    private static final PeerId CLIENT = PeerId.fromHex("a548dca137d207fad778b3ff1920ada833baf45a2e8ba7aca992ff24a6a4f9eb");

    private static String bytes(Command reply) {
        return Hex.of(reply.toMessage().toBytes());
    }

    /**
     * Cirrus's {@code _result} for connect, as Cumulus replayed it from Cirrus and a 2016 client decoded it
     * from p2p.rtmfp.net (objectEncoding 3, description, level, code, in that order), byte for byte; then
     * rtmfpd's one addition, connectionID, before the object end.
     */
    static final String CIRRUS_CONNECT_RESULT_BEFORE_END = "14000000000200075f726573756c74003ff000000000000005"
            + "03000e6f626a656374456e636f64696e67004008000000000000"
            + "000b6465736372697074696f6e020014436f6e6e656374696f6e20737563636565646564"
            + "00056c6576656c020006737461747573"
            + "0004636f646502001d4e6574436f6e6e656374696f6e2e436f6e6e6563742e53756363657373";

    @Test
    void connectSuccessIsCirrusByteForByteThenTheConnectionId() {
        Command connect = Command.from(TcMessage.parse(Hex.bytes(CommandTest.FLASH_CONNECT)));
        assertEquals(CIRRUS_CONNECT_RESULT_BEFORE_END
                + "000c636f6e6e656374696f6e4944020040"
                + "61353438646361313337643230376661643737386233666631393230616461383333626166343561326538626137616361393932666632346136613466396562"
                + "000009", bytes(CommandReplies.connectSuccess(connect, CLIENT)));
    }

    @Test
    void objectEncodingIsCirrussThreeWhenTheClientSentNone() {
        for (Object commandObject : new Object[] {null, Map.of(), Map.of("objectEncoding", "3")}) {
            Command reply = CommandReplies.connectSuccess(new Command("connect", 1, commandObject, List.of()), CLIENT);
            Map<?, ?> info = (Map<?, ?>) reply.arguments().get(0);
            assertEquals(3.0, info.get("objectEncoding"));
        }
        Command amf0 = new Command("connect", 1, Map.of("objectEncoding", 0.0), List.of());
        assertEquals(0.0, ((Map<?, ?>) CommandReplies.connectSuccess(amf0, CLIENT).arguments().get(0)).get("objectEncoding"),
                "a client's own objectEncoding is echoed");
    }

    @Test
    void connectRejected() {
        assertEquals("14000000000200065f6572726f72003ff000000000000005"
                + "0300056c6576656c0200056572726f72"
                + "0004636f646502001e4e6574436f6e6e656374696f6e2e436f6e6e6563742e52656a6563746564"
                + "000b6465736372697074696f6e020016556e6b6e6f776e20646576656c6f706572206b65792e"
                + "000009", bytes(CommandReplies.connectRejected(1, "Unknown developer key.")));
    }

    @Test
    void callFailedNamesTheMethod() {
        Command call = new Command("relay", 4, null, List.of("x"));
        assertEquals("14000000000200065f6572726f7200401000000000000005"
                + "0300056c6576656c0200056572726f72"
                + "0004636f64650200194e6574436f6e6e656374696f6e2e43616c6c2e4661696c6564"
                + "000b6465736372697074696f6e0200194d6574686f64202772656c617927206e6f7420666f756e642e"
                + "000009", bytes(CommandReplies.callFailed(call)));
    }

    @Test
    void createStreamResult() {
        assertEquals("14000000000200075f726573756c74004000000000000000" + "05" + "003ff0000000000000",
                bytes(CommandReplies.createStreamResult(2, 1)));
    }
}
