package org.rtmfpd.flash;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Optional;
import java.util.OptionalLong;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.Vlu;
import org.rtmfpd.wire.WireException;

/**
 * Turns a flow's user-data options (RFC 7016 §2.3.11.1) into its metadata and return flow
 * association, and builds the options of the server's own flows. A reply flow to the client's
 * NetConnection flow 3 is, written with its marker, {@code 05 00 54 43 04 00 02 0a 03 00}.
 */
public final class FlowOptions {
    public static final int METADATA = 0x00;                // RFC 7016 §2.3.11.1.1
    public static final int RETURN_FLOW_ASSOCIATION = 0x0a; // RFC 7016 §2.3.11.1.2

    private FlowOptions() {
    }

    /** Metadata plus the association to the receiver's flow {@code associatedFlowId}. */
    public static OptionList returnFlow(FlowMetadata metadata, long associatedFlowId) {
        return OptionList.of(Option.of(METADATA, metadata.toBytes()),
                Option.ofVlu(RETURN_FLOW_ASSOCIATION, associatedFlowId));
    }

    /** The server's NetConnection control flow answering the client's flow {@code clientFlowId}. */
    public static OptionList netConnectionReturnFlow(long clientFlowId) {
        return returnFlow(FlowMetadata.NET_CONNECTION, clientFlowId);
    }

    public static Optional<FlowMetadata> metadata(OptionList options) {
        return options.first(METADATA).map(option -> FlowMetadata.parse(option.value()));
    }

    /** The flow this one answers, if it says; the value must be exactly one VLU. */
    public static OptionalLong returnFlowAssociation(OptionList options) {
        Optional<Option> option = options.first(RETURN_FLOW_ASSOCIATION);
        if (option.isEmpty()) {
            return OptionalLong.empty();
        }
        ByteBuf value = Unpooled.wrappedBuffer(option.get().value());
        long flowId = Vlu.read(value);
        if (value.isReadable()) {
            throw new WireException("return flow association has " + value.readableBytes()
                    + " bytes after its flow ID");
        }
        return OptionalLong.of(flowId);
    }
}
