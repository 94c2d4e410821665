package org.rtmfpd.flash.amf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.rtmfpd.wire.WireException;

/**
 * Coverage-guided fuzzing of the AMF0 and AMF3 decoders (docs/testing.md): they return values or throw
 * {@link WireException}, and what AMF0 decodes (AMF3 values aside) encodes and decodes back to itself.
 * Without JAZZER_FUZZ=1 the targets replay the corpus under
 * {@code src/test/resources/org/rtmfpd/flash/amf/AmfFuzzTestInputs/}.
 */
class AmfFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void amf0(byte[] data) {
        List<Object> values;
        try {
            values = Amf0Decoder.readAll(Unpooled.wrappedBuffer(data));
        } catch (WireException expected) {
            return;
        }
        ByteBuf out = Unpooled.buffer();
        Amf0Encoder.writeAll(out, values);
        List<Object> again = Amf0Decoder.readAll(out);
        if (!again.toString().equals(values.toString())) {
            throw new AssertionError("AMF0 does not read back: " + values + " then " + again);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void amf3(byte[] data) {
        ByteBuf in = Unpooled.buffer(data.length + 1).writeByte(Amf0Marker.AVMPLUS).writeBytes(data);
        try {
            Amf0Decoder.read(in);
        } catch (WireException expected) {
            // malformed input is refused
        }
    }
}
