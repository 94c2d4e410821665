package org.rtmfpd.flash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtmfpd.wire.WireException;

class FlowMetadataTest {

    private static FlowMetadata parse(String hex) {
        return FlowMetadata.parse(Hex.bytes(hex));
    }

    @Test
    void netConnectionControlFlow() {
        assertEquals(FlowMetadata.NET_CONNECTION, parse("54 43 04 00"));
        assertEquals(new FlowMetadata.Tc(0, FlowMetadata.RXI_ORIGINAL_ORDER), parse("54 43 04 00"));
        assertEquals("54430400", Hex.of(FlowMetadata.NET_CONNECTION.toBytes()));
    }

    @Test
    void streamIdIsAVluAndTheLowBitIsReceiveIntent() {
        assertEquals(new FlowMetadata.Tc(128, FlowMetadata.RXI_NETWORK_ORDER), parse("54 43 05 81 00"));
        assertEquals(new FlowMetadata.Tc(5, FlowMetadata.RXI_ORIGINAL_ORDER), parse("54 43 06 05"));
        assertEquals(new FlowMetadata.Tc(0xffffffffL, FlowMetadata.RXI_ORIGINAL_ORDER), parse("54 43 04 8f ff ff ff 7f"));
        assertEquals(FlowMetadata.Tc.of(3), parse("54 43 04 03 ee"));
        assertEquals("5443058100", Hex.of(new FlowMetadata.Tc(128, 1).toBytes()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"54 43", "54 43 00 00", "54 43 04", "54 43 04 81", "54 43 04 90 80 80 80 00"})
    void malformedTcMetadataIsRejected(String hex) {
        assertThrows(WireException.class, () -> parse(hex));
    }

    @Test
    void netGroupMetadataIsKeptWhole() {
        FlowMetadata gc = parse("47 43 01 02 03");
        assertEquals(new FlowMetadata.Gc(Hex.bytes("47 43 01 02 03")), gc);
        assertArrayEquals(Hex.bytes("47 43 01 02 03"), gc.toBytes());
        assertEquals(new FlowMetadata.Gc(Hex.bytes("47 43")), parse("47 43"));
    }

    @Test
    void anythingElseIsOther() {
        assertEquals(new FlowMetadata.Other(Hex.bytes("41 42")), parse("41 42"));
        assertEquals(new FlowMetadata.Other(Hex.bytes("54")), parse("54"));
        assertEquals(new FlowMetadata.Other(new byte[0]), parse(""));
    }

    @Test
    void buildersRefuseWhatTheWireCannotSay() {
        assertThrows(IllegalArgumentException.class, () -> new FlowMetadata.Tc(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new FlowMetadata.Tc(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new FlowMetadata.Gc(Hex.bytes("54 43")));
    }
}
