package org.rtmfpd.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.crypto.SessionKeys;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.session.Session;
import org.rtmfpd.session.SessionListener;
import org.rtmfpd.session.SessionSettings;
import org.rtmfpd.session.TimerWheel;
import org.rtmfpd.wire.Packet;
import org.rtmfpd.wire.Ping;

/**
 * The cost of idle sessions' timers, and what the timer wheel adds to a packet's handling.
 *
 * <ul>
 *   <li>{@code pass}: one call of {@link Session#tick} on each of {@code sessions} idle server
 *   sessions, none of which has anything due: what the dispatcher did once a second before the wheel.
 *   <li>{@code wheel}: one 100 ms tick of the dispatcher now, {@link TimerWheel#expire} over the same
 *   sessions scheduled on a wheel, none due.
 *   <li>{@code receivePing_wheel} / {@code receivePing_ticked}: one decrypted keepalive Ping handed to a
 *   session, which answers it (a Ping Reply sealed and sent): with the session on a wheel (its deadline
 *   recomputed after the packet) and without one.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SessionTimerBenchmark {
    private static final InetSocketAddress FAR = new InetSocketAddress("127.0.0.1", 40000);
    private static final SessionSettings SETTINGS = SessionSettings.forServer(15_000);
    private static final long T0 = 1_000_000;

    private static final SessionListener IGNORE = org.rtmfpd.session.AcceptingListener.INSTANCE;

    private static PacketCipher[] ciphers() {
        byte[] secret = new byte[128];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (i * 7 + 3);
        }
        byte[] skic = {1, 2, 3};
        byte[] skrc = {4, 5, 6};
        return new PacketCipher[] {
            PacketCipher.forSession(SessionKeys.derive(secret, skic, skrc), 0, 0, false, false),
            PacketCipher.forSession(SessionKeys.derive(secret, skrc, skic), 0, 0, false, false)};
    }

    @State(Scope.Thread)
    public static class Idle {
        @Param({"19000", "100000"})
        public int sessions;

        final long[] now = {T0};
        final List<Session> ticked = new ArrayList<>();
        TimerWheel<Session> wheel;

        @Setup(Level.Trial)
        public void setUp() {
            PacketCipher responder = ciphers()[1];
            wheel = new TimerWheel<>(64, 2048, T0);
            for (int i = 0; i < sessions; i++) {
                // Opened one after the other over the 29 s before T0 + 1 s.
                now[0] = T0 - 28_000 + (long) i * 29_000 / sessions;
                ticked.add(new Session(i + 1, i + 1, false, FAR, new byte[32], responder, (to, d) -> { },
                        () -> now[0], SETTINGS, IGNORE));
                new Session(i + 1, i + 1, false, FAR, new byte[32], responder, (to, d) -> { }, () -> now[0],
                        SETTINGS, IGNORE, wheel);
            }
            now[0] = T0 + 1_000; // every session is idle, its first keepalive still ahead
            wheel.expire(now[0], s -> {
                throw new AssertionError("nothing is due yet");
            });
        }
    }

    @Benchmark
    public void pass(Idle state) {
        for (Session s : state.ticked) {
            s.tick();
        }
    }

    @Benchmark
    public int wheel(Idle state) {
        return state.wheel.expire(state.now[0], Session::tick);
    }

    @State(Scope.Thread)
    public static class OnePing {
        final long[] now = {T0};
        Session onWheel;
        Session ticked;
        Datagrams.Decoded ping;
        Blackhole sink;

        @Setup(Level.Trial)
        public void setUp(Blackhole blackhole) {
            sink = blackhole;
            PacketCipher[] c = ciphers();
            TimerWheel<Session> wheel = new TimerWheel<>(64, 2048, T0);
            onWheel = new Session(1, 1, false, FAR, new byte[32], c[1], (to, d) -> sink.consume(d), () -> now[0],
                    SETTINGS, IGNORE, wheel);
            ticked = new Session(2, 2, false, FAR, new byte[32], c[1], (to, d) -> sink.consume(d), () -> now[0],
                    SETTINGS, IGNORE);
            Packet packet = new Packet(Packet.MODE_INITIATOR | Packet.TS, 0, Packet.ABSENT,
                    List.of(new Ping(new byte[0])));
            ping = Datagrams.decode(Datagrams.encode(1, c[0], 0, packet), c[1]);
        }
    }

    @Benchmark
    public boolean receivePing_wheel(OnePing state) {
        return state.onWheel.receive(state.ping, FAR);
    }

    @Benchmark
    public boolean receivePing_ticked(OnePing state) {
        return state.ticked.receive(state.ping, FAR);
    }
}
