package org.rtmfpd.flash;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.rtmfpd.wire.WireException;

/**
 * Coverage-guided fuzzing of the Flash layer's decoders (docs/testing.md): flow metadata, TC messages
 * and what is read out of them (commands, user control events, setPeerInfo addresses) and NetGroup
 * messages. The only exception a decoder may let out is {@link WireException}. Without JAZZER_FUZZ=1
 * the targets replay the corpus under {@code src/test/resources/org/rtmfpd/flash/FlashFuzzTestInputs/}.
 */
class FlashFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void flowMetadata(byte[] data) {
        FlowMetadata metadata;
        try {
            metadata = FlowMetadata.parse(data);
        } catch (WireException expected) {
            return;
        }
        if (metadata instanceof FlowMetadata.Tc) {
            if (!FlowMetadata.parse(metadata.toBytes()).equals(metadata)) {
                throw new AssertionError("TC metadata does not read back: " + metadata);
            }
        } else if (!Arrays.equals(metadata.toBytes(), data)) {
            throw new AssertionError("metadata not kept as received: " + metadata);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void tcMessage(byte[] data) {
        TcMessage message;
        try {
            message = TcMessage.parse(data);
        } catch (WireException expected) {
            return;
        }
        if (!Arrays.equals(message.toBytes(), data)) {
            throw new AssertionError("TC message does not write back as read: " + message);
        }
        try {
            switch (message.type()) {
                case TcMessage.COMMAND_AMF0, TcMessage.COMMAND_AMF3 -> {
                    Command command = Command.from(message);
                    PeerInfoAddresses.of(command);
                    command.toMessage();
                }
                case TcMessage.USER_CONTROL -> {
                    UserControlEvent event = UserControlEvent.from(message);
                    switch (event.eventType()) {
                        case UserControlEvent.FLOW_SYNC -> FlowSync.from(event);
                        case UserControlEvent.SET_BUFFER_LENGTH -> SetBufferLength.from(event);
                        default -> { }
                    }
                }
                default -> { }
            }
        } catch (WireException expected) {
            // malformed input is refused
        }
    }

    @FuzzTest(maxDuration = "5m")
    void netGroupMessages(byte[] data) {
        try {
            GroupJoin.parse(data);
        } catch (WireException expected) {
            // refused
        }
        try {
            GroupMember.read(Unpooled.wrappedBuffer(data));
        } catch (WireException expected) {
            // refused
        }
        try {
            GroupspecDigest.groupId(data);
        } catch (WireException expected) {
            // refused
        }
        PeerInfoAddresses.parse(new String(data, StandardCharsets.UTF_8));
    }
}
