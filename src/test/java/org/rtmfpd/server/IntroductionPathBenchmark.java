package org.rtmfpd.server;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rtmfpd.client.ClientCore;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientListener;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.CookieJar;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.flash.KeepaliveTimers;
import org.rtmfpd.flash.NetConnectionService;
import org.rtmfpd.handshake.EphemeralKeys;
import org.rtmfpd.handshake.ResponderKeying;
import org.rtmfpd.rendezvous.DeveloperKeyStore;
import org.rtmfpd.rendezvous.DeveloperKeys;
import org.rtmfpd.rendezvous.LocalRendezvous;
import org.rtmfpd.session.Session;
import org.rtmfpd.session.SessionSettings;

/**
 * One introduction on the protocol thread, the whole path as {@link RtmfpServer} wires it: an initiator's
 * IHello for a peer (sealed under the default key, as a client sends it) into {@link Dispatcher#onDatagram},
 * which decodes it, applies the rate limits, asks the Flash layer and the rendezvous (registry, ledger), and
 * sends the Redirect and the Forwarded IHello (encoded, sealed, counted in the metrics). No sockets: the
 * datagrams out are counted and dropped. {@value #PAIRS} pairs of real clients connect first (their
 * handshakes run through the same dispatcher); each operation replays one pair's IHello, the pairs in turn,
 * and moves the clock 1 ms, so that no rate limit refuses one (a pair comes round every
 * {@value #PAIRS} ms). Setup checks that an operation sends exactly the two datagrams. On a shared machine
 * read {@code introduce:cpuNanos / introduce:ops} (the thread's CPU time per operation) beside the score.
 *
 * <pre>mvn -B -q -Pjmh test-compile exec:exec -Djmh.args="IntroductionPathBenchmark -prof gc"</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class IntroductionPathBenchmark {
    static final int PAIRS = 2048;
    private static final String KEY = "bench";
    private static final InetSocketAddress SERVER = new InetSocketAddress("10.255.0.1", 1935);

    private final long[] now = {1_000_000};
    private final ArrayDeque<Runnable> work = new ArrayDeque<>();
    /** Datagrams the server sent, and where to: during setup they are delivered, then only counted. */
    private final ArrayDeque<Object[]> toDeliver = new ArrayDeque<>();
    private boolean delivering = true;
    private long sent;
    private Dispatcher dispatcher;
    private InetSocketAddress[] initiators;
    private byte[][] ihellos;
    private int next;

    @Setup
    public void setUp() throws Exception {
        SecureRandom random = new SecureRandom();
        InstantSource instants = () -> Instant.ofEpochMilli(now[0]);
        DeveloperKeyStore keys = DeveloperKeyStore.of(Path.of("keys.conf"),
                DeveloperKeys.parse("keys.conf", KEY + " peer-cap=10\n"), instants);
        ServerMetrics metrics = new ServerMetrics();
        TimedApplication timed = new TimedApplication(metrics);
        LocalRendezvous<Session> rendezvous = new LocalRendezvous<>(keys::find, 5, instants, new Random(1));
        NetConnectionService service = new NetConnectionService(keys, rendezvous, false, new KeepaliveTimers(15_000, 10_000),
                () -> now[0], timed);
        dispatcher = new Dispatcher(Certificate.ephemeral(List.of(DhGroup.GROUP_2), new byte[64]),
                new CookieJar(random, () -> now[0]),
                new ResponderKeying(List.of(DhGroup.GROUP_2), new EphemeralKeys(random, () -> now[0], Long.MAX_VALUE)),
                1024, SessionSettings.forServer(15_000), this::fromServer, () -> now[0], work::add, work::add,
                timed.wrap(service), metrics);
        service.startupSender(dispatcher);

        URI url = URI.create("rtmfp://10.255.0.1:1935/" + KEY);
        List<ClientCore> clients = new ArrayList<>();
        java.util.Map<InetSocketAddress, ClientCore> byAddress = new java.util.HashMap<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        List<ClientIdentity> identities = new ArrayList<>();
        for (int i = 0; i < 2 * PAIRS; i++) {
            InetSocketAddress at = new InetSocketAddress("10." + (i >> 14) + "." + ((i >> 6) & 0xff) + "." + (1 + (i & 63)),
                    40000 + i);
            ClientIdentity identity = ClientIdentity.generate(random);
            ClientCore core = new ClientCore(identity, ClientSettings.FLASH_LIKE, (to, d) -> toServer(at, d),
                    () -> now[0], System::nanoTime, random, new ClientListener() {
                    });
            clients.add(core);
            byAddress.put(at, core);
            addresses.add(at);
            identities.add(identity);
        }
        for (int i = 0; i < clients.size(); i++) {
            ClientCore core = clients.get(i);
            core.connect(url, SERVER);
            pump(byAddress);
            core.setPeerInfo(List.of(addresses.get(i)));
            pump(byAddress);
            if (!core.isConnected()) {
                throw new IllegalStateException("client " + i + " did not connect");
            }
        }
        initiators = new InetSocketAddress[PAIRS];
        ihellos = new byte[PAIRS][];
        for (int p = 0; p < PAIRS; p++) {
            InetSocketAddress from = addresses.get(2 * p);
            byte[][] hello = new byte[1][];
            ClientCore recorder = new ClientCore(identities.get(2 * p), ClientSettings.FLASH_LIKE,
                    (to, d) -> hello[0] = d, () -> now[0], System::nanoTime, random, new ClientListener() {
                    });
            recorder.connect(url, SERVER); // gives the recorder the server's address; its IHello is dropped
            recorder.requestIntroduction(identities.get(2 * p + 1).peerId());
            initiators[p] = from;
            ihellos[p] = hello[0];
        }
        delivering = false;
        long before = sent;
        CpuClock cpu = new CpuClock();
        for (int p = 0; p < PAIRS; p++) {
            introduce(cpu);
        }
        if (sent - before != 2L * PAIRS) {
            throw new IllegalStateException((sent - before) + " datagrams for " + PAIRS
                    + " introductions: each should send a Redirect and a Forwarded IHello");
        }
    }

    /** The server's reply goes to a client core (setup) or is only counted (the benchmark). */
    private void fromServer(InetSocketAddress to, byte[] datagram) {
        sent++;
        if (delivering) {
            toDeliver.add(new Object[] {to, datagram});
        }
    }

    private void toServer(InetSocketAddress from, byte[] datagram) {
        work.add(() -> dispatcher.onDatagram(from, datagram));
    }

    /** Runs the queued work and delivers the server's replies until nothing is left. */
    private void pump(java.util.Map<InetSocketAddress, ClientCore> clients) {
        for (int rounds = 0; rounds < 1_000 && !(work.isEmpty() && toDeliver.isEmpty()); rounds++) {
            while (!work.isEmpty()) {
                work.poll().run();
            }
            while (!toDeliver.isEmpty()) {
                Object[] d = toDeliver.poll();
                ClientCore client = clients.get((InetSocketAddress) d[0]);
                if (client != null) {
                    client.receive((byte[]) d[1], SERVER);
                }
            }
        }
    }

    /**
     * The benchmark thread's CPU time, read every {@value #CPU_READ_EVERY} operations: on a machine shared
     * with other work, {@code cpuNanos / ops} is the path's cost, where the score (wall-clock time) also
     * holds the time the thread waited for a core.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuClock {
        static final int CPU_READ_EVERY = 1024;
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public long cpuNanos;
        public long ops;
        private long readAt;
        private int sinceRead;

        @Setup(Level.Iteration)
        public void reset() {
            cpuNanos = 0;
            ops = 0;
            sinceRead = 0;
            readAt = THREADS.getCurrentThreadCpuTime();
        }

        void tick() {
            if (++sinceRead == CPU_READ_EVERY) {
                long now = THREADS.getCurrentThreadCpuTime();
                cpuNanos += now - readAt;
                ops += sinceRead;
                readAt = now;
                sinceRead = 0;
            }
        }
    }

    /** One pair's IHello for its peer, in: a Redirect and a Forwarded IHello out. */
    @Benchmark
    public long introduce(CpuClock cpu) {
        cpu.tick();
        int p = next;
        next = p + 1 == PAIRS ? 0 : p + 1;
        now[0]++;
        dispatcher.onDatagram(initiators[p], ihellos[p]);
        return sent;
    }
}
