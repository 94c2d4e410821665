package org.rtmfpd.nat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of the STUN decoder and responder (docs/testing.md). {@link StunMessage#decode}
 * returns a message or throws {@link StunException}; a decoded message encodes and decodes back; the
 * responder returns an answer no larger than its bound or a drop, and never throws. Without
 * JAZZER_FUZZ=1 the targets replay {@code src/test/resources/org/rtmfpd/nat/StunFuzzTestInputs/}.
 */
class StunFuzzTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("198.51.100.1", 5000);

    @FuzzTest(maxDuration = "5m")
    void message(byte[] data) {
        StunMessage m;
        try {
            m = StunMessage.decode(data);
        } catch (StunException expected) {
            return;
        }
        try {
            if (!StunMessage.decode(m.encode()).equals(m)) {
                throw new AssertionError("does not round-trip: " + m);
            }
            for (StunMessage.Attribute a : m.attributes()) {
                switch (a.type()) {
                    case StunAttributes.XOR_MAPPED_ADDRESS -> StunAttributes.readAddress(a.value(), m.transactionId());
                    case StunAttributes.OTHER_ADDRESS, StunAttributes.MAPPED_ADDRESS, StunAttributes.RESPONSE_ORIGIN ->
                            StunAttributes.readAddress(a.value(), null);
                    case StunAttributes.CHANGE_REQUEST -> StunAttributes.changeFlags(a.value());
                    case StunAttributes.ERROR_CODE -> StunAttributes.errorCodeOf(a.value());
                    default -> { }
                }
            }
        } catch (StunException expected) {
            // a malformed attribute value
        }
    }

    @FuzzTest(maxDuration = "5m")
    void responder(byte[] data) {
        StunResponder r = new StunResponder(new StunEndpoints(new InetSocketAddress("192.0.2.1", 1935),
                Optional.of(new InetSocketAddress("192.0.2.2", 3479))), new StunLimits(() -> 0), a -> false, "rtmfpd");
        for (SocketRole role : SocketRole.values()) {
            StunResponder.Outcome o = r.answer(role, FROM, data);
            if (o instanceof StunResponder.Reply reply && reply.datagram().length > StunLimits.AMPLIFICATION_LIMIT
                    * data.length && reply.datagram().length > 76) {
                throw new AssertionError("answer of " + reply.datagram().length + " bytes to " + data.length + ": "
                        + Arrays.toString(data));
            }
        }
    }
}
