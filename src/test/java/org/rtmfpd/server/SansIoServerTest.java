package org.rtmfpd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rtmfpd.testing.Resources;

/** The fuzzing harness reaches what it claims to reach, and its oracle sees a failure when there is one. */
class SansIoServerTest {
    private static byte[] seed(String name) {
        return Resources.bytes("/org/rtmfpd/server/DispatcherFuzzTestInputs/session/" + name);
    }

    @Test
    void theSessionSeedsConnectAndJoinAGroupThroughTheFlashLayer() {
        SansIoServer server = new SansIoServer();
        DispatcherFuzzTest.play(server, server.handshake(SansIoServer.CLIENT), seed("seed-connect-join-group"));
        assertEquals(1, server.dispatcher.sessionCount());
        assertEquals(1, server.metrics.counted("connect"));
        assertEquals(1, server.metrics.counted("group_join"));
        assertTrue(!server.sent.isEmpty(), "the _result went out");
    }

    @Test
    void theSameInputGivesTheSameDatagrams() {
        byte[] input = seed("seed-connect-set-peer-info-create-stream");
        SansIoServer first = new SansIoServer();
        DispatcherFuzzTest.play(first, first.handshake(SansIoServer.CLIENT), input);
        SansIoServer second = new SansIoServer();
        DispatcherFuzzTest.play(second, second.handshake(SansIoServer.CLIENT), input);
        assertEquals(first.sent.size(), second.sent.size());
        for (int i = 0; i < first.sent.size(); i++) {
            assertEquals(Resources.hex(first.sent.get(i).datagram()), Resources.hex(second.sent.get(i).datagram()));
        }
    }

    @Test
    void aContainedFailureIsReportedAsAFinding() {
        SansIoServer server = new SansIoServer();
        server.metrics.drop("internal_error");
        assertThrows(AssertionError.class, server::checkNoInternalFailure);
    }

    @Test
    void aFlashLayerFailureOtherThanARefusalIsReportedAsAFinding() {
        SansIoServer server = new SansIoServer();
        org.slf4j.LoggerFactory.getLogger(org.rtmfpd.flash.NetConnectionService.class)
                .debug("session {}: {} failed: {}", "1", "a message", "NullPointerException");
        assertThrows(AssertionError.class, server::checkNoInternalFailure);
        SansIoServer next = new SansIoServer();
        org.slf4j.LoggerFactory.getLogger(org.rtmfpd.flash.NetConnectionService.class)
                .debug("session {}: {} failed: {}", "1", "a message", "WireException: bad AMF0");
        next.checkNoInternalFailure();
    }
}
