package org.rtmfpd.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.WireException;

class FlowOptionsTest {

    private static String withMarker(OptionList options) {
        ByteBuf out = Unpooled.buffer();
        options.writeWithMarker(out);
        return Hex.of(ByteBufs.toArray(out));
    }

    private static OptionList read(String hex) {
        return OptionList.read(Hex.buf(hex), true);
    }

    @Test
    void serverReplyFlowToClientFlow3() {
        assertEquals("050054430400020a0300", withMarker(FlowOptions.netConnectionReturnFlow(3)));
    }

    @Test
    void largeFlowIdsAreVlus() {
        assertEquals("05005443040003" + "0a8148" + "00", withMarker(FlowOptions.netConnectionReturnFlow(200)));
    }

    @Test
    void streamReplyFlowCarriesItsStreamId() {
        assertEquals("05005443040102" + "0a07" + "00",
                withMarker(FlowOptions.returnFlow(FlowMetadata.Tc.of(1), 7)));
    }

    @Test
    void clientNetConnectionFlowHasMetadataAndNoAssociation() {
        OptionList options = read("05 00 54 43 04 00 00");
        assertEquals(Optional.of(FlowMetadata.NET_CONNECTION), FlowOptions.metadata(options));
        assertEquals(OptionalLong.empty(), FlowOptions.returnFlowAssociation(options));
    }

    @Test
    void netGroupFlowAssociatesToTheServersFlow() {
        OptionList options = read("05 00 47 43 aa bb 02 0a 02 00");
        assertEquals(Optional.of(new FlowMetadata.Gc(Hex.bytes("47 43 aa bb"))), FlowOptions.metadata(options));
        assertEquals(OptionalLong.of(2), FlowOptions.returnFlowAssociation(options));
    }

    @Test
    void noMetadataIsEmpty() {
        assertEquals(Optional.empty(), FlowOptions.metadata(read("02 0a 02 00")));
    }

    @Test
    void associationMustBeExactlyOneVlu() {
        assertThrows(WireException.class, () -> FlowOptions.returnFlowAssociation(read("03 0a 02 02 00")));
        assertThrows(WireException.class, () -> FlowOptions.returnFlowAssociation(read("01 0a 00")));
        assertThrows(WireException.class, () -> FlowOptions.returnFlowAssociation(read("02 0a 82 00")));
    }
}
