package org.rtmfpd.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the server's datagram entry point, {@link Dispatcher#onDatagram}, with the
 * Flash layer behind it and a clock the input moves ({@link SansIoServer}; docs/testing.md). The server
 * must contain whatever arrives: nothing thrown, no {@code internal_error}, no failure in the Flash
 * layer other than a refused malformed message.
 *
 * <p>An input is a list of steps, each {@code op(1) | length(2, big-endian) | bytes(length)} (a last
 * step cut short takes what is left). {@code op % 6}: 0 and 1, the bytes as a datagram from the client
 * or from another address; 2 and 3, the bytes as a packet (flags through chunks) sealed as the
 * client's next session datagram (in {@link #startup}, under the default key to session 0), from the
 * client or from another address; 4, the clock moves on by the bytes' first two as milliseconds and
 * the timers run; 5, the bytes as a startup packet under the default key from a third address.
 * Without JAZZER_FUZZ=1 both targets replay the corpus under
 * {@code src/test/resources/org/rtmfpd/server/DispatcherFuzzTestInputs/}.
 */
class DispatcherFuzzTest {
    static final int FROM_CLIENT = 0;
    static final int FROM_OTHER = 1;
    static final int SEALED_FROM_CLIENT = 2;
    static final int SEALED_FROM_OTHER = 3;
    static final int ADVANCE = 4;
    static final int STARTUP_FROM_THIRD = 5;
    private static final int OPS = 6;
    /** Steps of one input that are played; the rest is ignored, to bound the time an input takes. */
    private static final int MAX_STEPS = 64;

    /** Before any session: the handshake and what a stranger's datagrams reach. */
    @FuzzTest(maxDuration = "5m")
    void startup(byte[] data) {
        SansIoServer server = new SansIoServer();
        play(server, null, data);
    }

    /** After a real handshake with the client keys: sealed packets reach the session and the Flash layer. */
    @FuzzTest(maxDuration = "5m")
    void session(byte[] data) {
        SansIoServer server = new SansIoServer();
        SansIoServer.ClientEnd client = server.handshake(SansIoServer.CLIENT);
        play(server, client, data);
    }

    static void play(SansIoServer server, SansIoServer.ClientEnd client, byte[] data) {
        int at = 0;
        for (int step = 0; step < MAX_STEPS && at < data.length; step++) {
            int op = (data[at] & 0xff) % OPS;
            int length = at + 2 < data.length ? ((data[at + 1] & 0xff) << 8) | (data[at + 2] & 0xff) : 0;
            int start = Math.min(at + 3, data.length);
            int end = Math.min(start + length, data.length);
            byte[] bytes = Arrays.copyOfRange(data, start, end);
            at = end;
            switch (op) {
                case FROM_CLIENT -> server.receive(SansIoServer.CLIENT, bytes);
                case FROM_OTHER -> server.receive(SansIoServer.OTHER, bytes);
                case SEALED_FROM_CLIENT, SEALED_FROM_OTHER -> {
                    InetSocketAddress from = op == SEALED_FROM_CLIENT ? SansIoServer.CLIENT : SansIoServer.OTHER;
                    server.receive(from, client != null ? client.seal(bytes) : SansIoServer.startupDatagram(bytes));
                }
                case ADVANCE -> server.advance(bytes.length >= 2 ? ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff)
                        : bytes.length == 1 ? bytes[0] & 0xff : 100);
                default -> server.receive(SansIoServer.THIRD, SansIoServer.startupDatagram(bytes));
            }
            server.checkNoInternalFailure();
        }
        server.advance(100);
        server.checkNoInternalFailure();
    }

    /** One step of an input, for writing seeds and regression inputs. */
    static byte[] step(int op, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(op);
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
        return out.toByteArray();
    }
}
