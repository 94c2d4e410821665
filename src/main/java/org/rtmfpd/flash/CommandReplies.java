package org.rtmfpd.flash;

import org.rtmfpd.rendezvous.PeerId;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the server's decisions on NetConnection commands into the reply commands Flash expects
 * (RFC 7425 §5.3; the info objects of Cirrus and rtmfp-cpp's tcserver). Every reply carries the
 * request's transaction ID and a {@code null} command object.
 */
public final class CommandReplies {
    public static final String RESULT = "_result";
    public static final String ERROR = "_error";

    public static final String CONNECT_SUCCESS = "NetConnection.Connect.Success";
    public static final String CONNECT_REJECTED = "NetConnection.Connect.Rejected";
    public static final String CALL_FAILED = "NetConnection.Call.Failed";

    private static final String LEVEL = "level";
    private static final String CODE = "code";
    private static final String DESCRIPTION = "description";
    private static final String OBJECT_ENCODING = "objectEncoding";
    private static final String CONNECTION_ID = "connectionID";
    private static final String STATUS = "status";
    private static final String LEVEL_ERROR = "error";

    private CommandReplies() {
    }

    /**
     * {@code _result} for {@code connect}, as Cirrus sent it: {objectEncoding, description "Connection
     * succeeded", level, code}, in that order, then connectionID (the client's peer ID in hex, as
     * rtmfp-cpp's tcserver reports it). objectEncoding is the client's, or 3 (Cirrus's value) when it
     * sent none.
     */
    public static Command connectSuccess(Command connect, PeerId client) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put(OBJECT_ENCODING, objectEncoding(connect.commandObject()));
        info.put(DESCRIPTION, "Connection succeeded");
        info.put(LEVEL, STATUS);
        info.put(CODE, CONNECT_SUCCESS);
        info.put(CONNECTION_ID, client.toString());
        return reply(RESULT, connect.transactionId(), info);
    }

    /** {@code _error} with {@code NetConnection.Connect.Rejected}. */
    public static Command connectRejected(double transactionId, String description) {
        return reply(ERROR, transactionId, info(LEVEL_ERROR, CONNECT_REJECTED, description));
    }

    /** {@code _error} with {@code NetConnection.Call.Failed} for a command the server does not know. */
    public static Command callFailed(Command call) {
        String description = "Method '" + call.name() + "' not found.";
        return reply(ERROR, call.transactionId(), info(LEVEL_ERROR, CALL_FAILED, description));
    }

    /** {@code _result} for {@code createStream}: the new stream's ID. */
    public static Command createStreamResult(double transactionId, long streamId) {
        return new Command(RESULT, transactionId, null, List.of((double) streamId));
    }

    /** The objectEncoding Cirrus always answered with (AMF3). */
    static final double CIRRUS_OBJECT_ENCODING = 3;

    private static double objectEncoding(Object commandObject) {
        if (commandObject instanceof Map<?, ?> properties && properties.get(OBJECT_ENCODING) instanceof Double d) {
            return d;
        }
        return CIRRUS_OBJECT_ENCODING;
    }

    private static Map<String, Object> info(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put(LEVEL, level);
        info.put(CODE, code);
        info.put(DESCRIPTION, description);
        return info;
    }

    private static Command reply(String name, double transactionId, Map<String, Object> info) {
        return new Command(name, transactionId, null, List.of(info));
    }
}
