package org.rtmfpd.handshake;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.WireException;

/**
 * Coverage-guided fuzzing of the IIKeying check (docs/testing.md): whatever certificate and SKIC an
 * initiator sends, {@link InitiatorKeying#check} answers with an acceptance or a refusal and throws
 * nothing. The input is an IIKeying chunk's payload. Without JAZZER_FUZZ=1 the target replays the
 * corpus under {@code src/test/resources/org/rtmfpd/handshake/HandshakeFuzzTestInputs/}.
 */
class HandshakeFuzzTest {
    private static final List<DhGroup> OFFERED = List.of(DhGroup.GROUP_2, DhGroup.GROUP_5, DhGroup.GROUP_14);

    @FuzzTest(maxDuration = "5m")
    void initiatorKeying(byte[] data) {
        IIKeying iikeying;
        try {
            iikeying = IIKeying.decode(Unpooled.wrappedBuffer(data));
        } catch (WireException expected) {
            return;
        }
        if (InitiatorKeying.check(iikeying, OFFERED) instanceof InitiatorKeying.Accepted accepted) {
            if (!OFFERED.contains(accepted.request().group())) {
                throw new AssertionError("accepted a group that is not offered: " + accepted.request().group());
            }
        }
    }
}
