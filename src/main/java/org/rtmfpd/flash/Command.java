package org.rtmfpd.flash;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.rtmfpd.flash.amf.Amf0Decoder;
import org.rtmfpd.flash.amf.Amf0Encoder;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.WireException;

/**
 * Turns the body of a command message into a named call and back (RFC 7425 §5.1; RTMP command
 * layout): AMF0 {@code name (string) | transactionId (number) | commandObject | arguments...}.
 * A COMMAND_AMF3 body carries one format byte, which must be 0 (RFC 7425 §5.3.3 note), before the
 * same layout; its values may switch to AMF3. A body that ends after the transaction ID has a
 * {@code null} command object. Replies are always written as COMMAND_AMF0.
 */
public record Command(String name, double transactionId, Object commandObject, List<Object> arguments) {
    /** The only format defined for COMMAND_AMF3 bodies. */
    public static final int AMF3_FORMAT_AMF0 = 0x00;

    public Command {
        Objects.requireNonNull(name, "name");
        arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    /** Reads the command in a COMMAND_AMF0 or COMMAND_AMF3 message. */
    public static Command from(TcMessage message) {
        ByteBuf body = message.bodyBuffer();
        switch (message.type()) {
            case TcMessage.COMMAND_AMF0:
                return readAmf0(body);
            case TcMessage.COMMAND_AMF3:
                return readAmf3(body);
            default:
                throw new WireException("TC message type 0x" + Integer.toHexString(message.type())
                        + " is not a command");
        }
    }

    public static Command readAmf0(ByteBuf body) {
        List<Object> values = Amf0Decoder.readAll(body);
        if (values.size() < 2 || !(values.get(0) instanceof String name) || !(values.get(1) instanceof Double id)) {
            throw new WireException("command does not start with a name and a transaction ID");
        }
        Object commandObject = values.size() > 2 ? values.get(2) : null;
        List<Object> arguments = values.size() > 3 ? values.subList(3, values.size()) : List.of();
        return new Command(name, id, commandObject, arguments);
    }

    public static Command readAmf3(ByteBuf body) {
        if (!body.isReadable()) {
            throw new WireException("COMMAND_AMF3 body is empty");
        }
        int format = body.readUnsignedByte();
        if (format != AMF3_FORMAT_AMF0) {
            throw new WireException("COMMAND_AMF3 format 0x" + Integer.toHexString(format) + " is not defined");
        }
        return readAmf0(body);
    }

    public void writeAmf0(ByteBuf out) {
        Amf0Encoder.write(out, name);
        Amf0Encoder.write(out, transactionId);
        Amf0Encoder.write(out, commandObject);
        Amf0Encoder.writeAll(out, arguments);
    }

    /** This command as a COMMAND_AMF0 message with timestamp 0. */
    public TcMessage toMessage() {
        ByteBuf body = Unpooled.buffer();
        writeAmf0(body);
        return new TcMessage(TcMessage.COMMAND_AMF0, 0, ByteBufs.toArray(body));
    }
}
