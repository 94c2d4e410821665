package org.rtmfpd.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.wire.StartupChunksTest.decodeOne;

import java.util.List;
import org.junit.jupiter.api.Test;

class AckChunksTest {

    @Test
    void rfcAckRangesExample() {
        AckRanges ack = (AckRanges) decodeOne(Bytes.hex("51 00 07 05 7f 10 00 00 01 03"));
        assertEquals(new AckRanges(5, 127, 16, List.of(new AckRanges.Range(18, 18), new AckRanges.Range(21, 24))), ack);
    }

    @Test
    void ackRangesWithoutRanges() {
        assertEquals(new AckRanges(3, 0, 1, List.of()), decodeOne(Bytes.hex("51 00 03 03 00 01")));
    }

    @Test
    void aTruncatedRangeListKeepsTheCompletePairs() {
        assertEquals(new AckRanges(5, 127, 16, List.of(new AckRanges.Range(18, 18))),
                AckRanges.decode(Bytes.buf("05 7f 10 00 00 01")));
        assertEquals(new AckRanges(5, 127, 16, List.of(new AckRanges.Range(18, 18))),
                AckRanges.decode(Bytes.buf("05 7f 10 00 00 01 83")));
    }

    @Test
    void missingFixedFieldsThrow() {
        assertThrows(WireException.class, () -> AckRanges.decode(Bytes.buf("05 7f")));
        assertThrows(WireException.class, () -> AckBitmap.decode(Bytes.buf("05 7f")));
    }

    @Test
    void rangesPastTheLargestSequenceNumberThrow() {
        // cumulative ack 2^63 - 1 (saturated), then a range that would start after it
        assertThrows(WireException.class,
                () -> AckRanges.decode(Bytes.buf("05 7f | ff ff ff ff ff ff ff ff 7f | 00 00")));
    }

    @Test
    void rangesMustLeaveAHoleBeforeEach() {
        assertThrows(IllegalArgumentException.class,
                () -> new AckRanges(5, 1, 16, List.of(new AckRanges.Range(17, 18))));
        assertThrows(IllegalArgumentException.class,
                () -> new AckRanges(5, 1, 16, List.of(new AckRanges.Range(18, 19), new AckRanges.Range(20, 20))));
        assertThrows(IllegalArgumentException.class, () -> new AckRanges.Range(5, 4));
    }

    @Test
    void ackBitmapCountsFromCumulativeAckPlusTwo() {
        // cumulative ack 16; bits 0 and 2 of the first byte: 18 and 20; bit 0 of the second byte: 26
        AckBitmap ack = (AckBitmap) decodeOne(Bytes.hex("50 00 05 05 7f 10 05 01"));
        assertEquals(5, ack.flowId());
        assertEquals(127, ack.bufferBlocksAvailable());
        assertEquals(16, ack.cumulativeAck());
        assertTrue(ack.acknowledges(1));
        assertTrue(ack.acknowledges(16));
        assertFalse(ack.acknowledges(17));
        assertTrue(ack.acknowledges(18));
        assertFalse(ack.acknowledges(19));
        assertTrue(ack.acknowledges(20));
        assertFalse(ack.acknowledges(25));
        assertTrue(ack.acknowledges(26));
        assertFalse(ack.acknowledges(27));
        assertFalse(ack.acknowledges(Long.MAX_VALUE));
    }
}
