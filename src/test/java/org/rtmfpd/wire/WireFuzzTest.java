package org.rtmfpd.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.session.Datagrams;

/**
 * Coverage-guided fuzzing of the wire decoders (docs/testing.md). Each target feeds arbitrary bytes to
 * one decoder; the only exception it may let out is {@link WireException}. Without JAZZER_FUZZ=1 the
 * targets replay the corpus under {@code src/test/resources/org/rtmfpd/wire/WireFuzzTestInputs/}.
 */
class WireFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void vlu(byte[] data) {
        ByteBuf in = Unpooled.wrappedBuffer(data);
        try {
            long value = Vlu.read(in);
            if (value < 0) {
                throw new AssertionError("VLU decoded to a negative value " + value);
            }
            Vlu.readInt(in);
        } catch (WireException expected) {
            // malformed input is refused
        }
    }

    @FuzzTest(maxDuration = "5m")
    void optionList(byte[] data) {
        try {
            OptionList.read(Unpooled.wrappedBuffer(data), data.length > 0 && (data[0] & 1) != 0);
        } catch (WireException expected) {
            // malformed input is refused
        }
    }

    @FuzzTest(maxDuration = "5m")
    void chunks(byte[] data) {
        ByteBuf in = Unpooled.wrappedBuffer(data);
        try {
            Chunks.decode(in);
        } catch (WireException expected) {
            return;
        }
        if (in.isReadable()) {
            throw new AssertionError("Chunks.decode left " + in.readableBytes() + " bytes");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void packet(byte[] data) {
        try {
            Packet.decode(Unpooled.wrappedBuffer(data));
        } catch (WireException expected) {
            // malformed input is refused
        }
    }

    @FuzzTest(maxDuration = "5m")
    void defaultKeyDatagram(byte[] data) {
        if (data.length < Datagrams.SSID_LENGTH) {
            return;
        }
        Datagrams.sessionId(data);
        try {
            Datagrams.decode(data, PacketCipher.DEFAULT);
        } catch (WireException expected) {
            // malformed input is refused
        }
    }
}
