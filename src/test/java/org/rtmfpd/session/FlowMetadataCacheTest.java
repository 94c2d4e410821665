package org.rtmfpd.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class FlowMetadataCacheTest {
    private static final byte[] NET_CONNECTION = {0x54, 0x43, 0x04, 0x00, 0x00};

    @Test
    void equalMetadataSharesTheFirstArray() {
        byte[] first = NET_CONNECTION.clone();
        assertSame(first, FlowMetadataCache.shared(first));
        byte[] second = NET_CONNECTION.clone();
        assertSame(first, FlowMetadataCache.shared(second));
    }

    @Test
    void differentMetadataIsKeptAsItCame() {
        byte[] a = {0x54, 0x43, 0x04, 0x00, 0x01};
        FlowMetadataCache.shared(a);
        byte[] b = {0x54, 0x43, 0x04, 0x00, 0x02};
        byte[] got = FlowMetadataCache.shared(b);
        assertArrayEquals(b, got);
        assertNotSame(a, got);
    }

    @Test
    void aCollidingArrayTakesTheSlotOverAndStaysEqual() {
        // Fill every slot with arrays of many contents: whatever is handed out equals what went in.
        for (int i = 0; i < 10 * FlowMetadataCache.SLOTS; i++) {
            byte[] m = {(byte) i, (byte) (i >> 8), 1};
            assertArrayEquals(m, FlowMetadataCache.shared(m.clone()));
        }
    }

    @Test
    void longMetadataAndNullPassThrough() {
        byte[] longOne = new byte[FlowMetadataCache.MAX_SHARED_LENGTH + 1];
        FlowMetadataCache.shared(longOne);
        byte[] again = longOne.clone();
        assertSame(again, FlowMetadataCache.shared(again));
        assertNull(FlowMetadataCache.shared(null));
    }
}
