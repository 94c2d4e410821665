package org.rtmfpd.cli.bench;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.rtmfpd.cli.bench.SoakReport.Counts;
import org.rtmfpd.cli.bench.SoakReport.Kind;
import org.rtmfpd.cli.bench.SoakReport.Minute;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientSettings;

/**
 * {@code rtmfpd bench --soak}: steady churn against a running server for a number of minutes. After a ramp up
 * to the population, every second brings connects of new clients and closes of old ones (keeping the
 * population steady), introductions between random held clients, and NetGroup joins and leaves. A share
 * of the new clients is lossy: their datagrams are dropped on purpose both ways, and the failures of their
 * operations are counted apart as injected. Each minute one line gives the operations by kind and the
 * server's heap after GC, resident memory, descriptors and threads; at the end a summary judges whether
 * those stayed flat ({@link SoakReport}).
 *
 * <p>Every client has its own socket (a slot of the {@link Fleet}); a closed client's slot gets a new
 * client with a fresh identity. The driving thread decides which slots do what; the clients' event loops
 * report outcomes, under this object's lock.
 */
public final class Soak {
    /** What the soak does; rates are per second. */
    public record Settings(int minutes, int population, double rampPerSecond, double churnPerSecond,
                           double introductionsPerSecond, double joinsPerSecond, int groups, double lossyShare,
                           double lossRate, double timeoutSeconds, int peerCap, int maxPending) {
        /** Sockets the soak binds: the population, and room for the clients connecting and closing meanwhile. */
        public int slots() {
            return population + (int) Math.ceil(churnPerSecond * (timeoutSeconds + 3)) + 64;
        }
    }

    private static final int FREE = 0;
    private static final int CONNECTING = 1;
    private static final int HELD = 2;
    private static final int CLOSING = 3;
    private static final long SECOND = 1_000_000_000L;
    /** A client is introduced or joins only after being held this long (its setPeerInfo has arrived). */
    private static final long SETTLED_NANOS = SECOND;
    private static final int GROUP_ID_LENGTH = 32;

    private final Settings settings;
    private final Fleet fleet;
    private final ServerProbe probe;
    private final PrintWriter out;
    private final Consumer<String> progress;
    private final Random random = new Random();
    private final long t0 = System.nanoTime();

    // slots: guarded by this
    private final int[] state;
    private final boolean[] lossy;
    private final long[] heldSince;
    private final int[] group;
    private final boolean[] groupBusy;
    /** Introductions in progress that the slot's client takes part in: it is not closed meanwhile. */
    private final int[] introductions;
    private final List<Set<Integer>> partners;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final int[] heldList;
    private final int[] heldAt;
    private int heldCount;
    private int connecting;
    private final List<Set<Integer>> groupMembers = new ArrayList<>();
    private final byte[][] groupIds;

    // operations: guarded by this
    private final Map<Integer, Op> live = new ConcurrentHashMap<>();
    private int nextOp;
    private final Map<Kind, Counts> counts = new EnumMap<>(Kind.class);
    private final Map<String, Long> failures = new TreeMap<>();
    private final Map<String, Long> injected = new TreeMap<>();
    private final Map<String, String> examples = new TreeMap<>();
    private List<Long> latencies = new ArrayList<>();
    private final Tracker tracker = new Tracker();

    private final List<Minute> minutes = Collections.synchronizedList(new ArrayList<>());
    private final BlockingQueue<ClientIdentity> identities;
    private final AtomicBoolean stop = new AtomicBoolean();

    private enum Purpose { COUNTED, CLEANUP }

    private static final class Op {
        final Kind kind;
        final Purpose purpose;
        final int slot;
        final int other;
        final boolean lossy;
        final long issuedNanos = System.nanoTime();
        volatile long startNanos;

        Op(Kind kind, Purpose purpose, int slot, int other, boolean lossy) {
            this.kind = kind;
            this.purpose = purpose;
            this.slot = slot;
            this.other = other;
            this.lossy = lossy;
        }
    }

    public Soak(Settings settings, int threads, ClientSettings clientSettings, URI url, InetSocketAddress server,
                ServerProbe probe, PrintWriter out, Consumer<String> progress) {
        this.settings = settings;
        this.probe = probe;
        this.out = out;
        this.progress = progress;
        int slots = settings.slots();
        ClientIdentity placeholder = ClientIdentity.generate(new SecureRandom());
        this.fleet = new Fleet(threads, Collections.nCopies(slots, placeholder), clientSettings, url, server);
        this.state = new int[slots];
        this.lossy = new boolean[slots];
        this.heldSince = new long[slots];
        this.group = new int[slots];
        Arrays.fill(group, -1);
        this.groupBusy = new boolean[slots];
        this.introductions = new int[slots];
        this.partners = new ArrayList<>(slots);
        for (int i = 0; i < slots; i++) {
            partners.add(new HashSet<>());
            free.add(i);
        }
        this.heldList = new int[slots];
        this.heldAt = new int[slots];
        this.groupIds = new byte[settings.groups()][GROUP_ID_LENGTH];
        SecureRandom r = new SecureRandom();
        for (byte[] id : groupIds) {
            r.nextBytes(id);
            groupMembers.add(new HashSet<>());
        }
        this.identities = new ArrayBlockingQueue<>(Math.max(1_000, (int) (settings.churnPerSecond() * 10)));
        for (Kind k : Kind.values()) {
            counts.put(k, Counts.NONE);
        }
    }

    /** Binds the sockets on {@code sources}; returns how many were bound. */
    public int bind(List<InetAddress> sources) throws InterruptedException {
        return fleet.bind(sources, n -> progress.accept("bound " + n));
    }

    public boolean usesEpoll() {
        return fleet.usesEpoll();
    }

    /**
     * Runs the ramp and the minutes, prints the table and the summary, closes the clients. Returns the
     * operations that failed and were not injected, and whether the readings stayed flat.
     */
    public Outcome run(SoakReport.Tolerance tolerance) throws InterruptedException {
        Thread[] makers = startIdentityMakers();
        ExecutorService readings = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "soak-readings");
            t.setDaemon(true);
            return t;
        });
        try {
            out.println(SoakReport.header());
            out.flush();
            Snapshot last = new Snapshot(snapshotCounts(), probe.cpu(), selfCpu(), System.nanoTime());
            ramp();
            last = minuteDone(readings, 0, last);
            long start = System.nanoTime();
            for (int minute = 1; minute <= settings.minutes(); minute++) {
                churnUntil(start + minute * 60 * SECOND);
                last = minuteDone(readings, minute, last);
            }
            progress.accept("churn ended; waiting for the operations in progress");
            drain();
        } finally {
            stop.set(true);
            for (Thread t : makers) {
                t.interrupt();
            }
            readings.shutdown();
            readings.awaitTermination(5, TimeUnit.MINUTES);
            progress.accept("closing the clients");
            fleet.closeAll(1_000, 3_000);
            fleet.close();
        }
        List<Minute> all;
        synchronized (minutes) {
            all = new ArrayList<>(minutes);
        }
        Map<String, Long> f;
        Map<String, Long> inj;
        synchronized (this) {
            f = new TreeMap<>(failures);
            inj = new TreeMap<>(injected);
        }
        out.print(SoakReport.summary(all, f, inj, fleet.injectedDrops(), tolerance));
        synchronized (this) {
            if (!examples.isEmpty()) {
                out.println("examples of failures");
                examples.forEach((k, v) -> out.println("  " + k + ": " + v));
            }
        }
        out.flush();
        List<Minute> churn = all.stream().filter(m -> m.minute() > 0).toList();
        boolean flat = !churn.isEmpty() && SoakReport.allFlat(SoakReport.judge(churn.get(0), churn.get(churn.size() - 1), tolerance));
        return new Outcome(SoakReport.failed(all), flat);
    }

    /** What the run ended with. */
    public record Outcome(long failed, boolean flat) {
    }

    // ---------------------------------------------------------------- driving

    private Thread[] startIdentityMakers() {
        int n = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        Thread[] makers = new Thread[n];
        for (int k = 0; k < n; k++) {
            makers[k] = new Thread(() -> {
                SecureRandom r = new SecureRandom();
                try {
                    while (!stop.get()) {
                        identities.put(ClientIdentity.generate(r));
                    }
                } catch (InterruptedException e) {
                    // stopping
                }
            }, "soak-identities-" + k);
            makers[k].setDaemon(true);
            makers[k].start();
        }
        return makers;
    }

    private void ramp() throws InterruptedException {
        progress.accept("ramp: connecting " + settings.population() + " clients at " + settings.rampPerSecond() + "/s");
        long begin = System.nanoTime();
        long deadline = begin + (long) ((settings.population() / settings.rampPerSecond() + 2 * settings.timeoutSeconds() + 30) * SECOND);
        double credit = 0;
        long previous = begin;
        long nextNote = begin + 5 * SECOND;
        long nextExpiry = begin;
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            credit = Math.min(credit + (now - previous) / 1e9 * settings.rampPerSecond(), settings.rampPerSecond());
            previous = now;
            synchronized (this) {
                while (credit >= 1 && heldCount + connecting < settings.population() && live.size() < settings.maxPending()
                        && connectOne()) {
                    credit--;
                }
                if (heldCount >= settings.population()) {
                    break;
                }
            }
            if (now >= nextExpiry) {
                expire(now);
                nextExpiry = now + SECOND / 4;
            }
            if (now >= nextNote) {
                progress.accept("ramp: " + heldCount() + " held, " + live.size() + " in progress");
                nextNote += 5 * SECOND;
            }
            LockSupport.parkNanos(2_000_000);
        }
        progress.accept(String.format(java.util.Locale.ROOT, "ramp: %d held after %.1f s", heldCount(), (System.nanoTime() - begin) / 1e9));
    }

    private synchronized int heldCount() {
        return heldCount;
    }

    private void churnUntil(long end) {
        double connectCredit = 0;
        double closeCredit = 0;
        double introCredit = 0;
        double joinCredit = 0;
        double leaveCredit = 0;
        long previous = System.nanoTime();
        long nextExpiry = previous;
        long nextScan = previous;
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                return;
            }
            double dt = (now - previous) / 1e9;
            previous = now;
            closeCredit = Math.min(closeCredit + dt * settings.churnPerSecond(), settings.churnPerSecond());
            connectCredit = Math.min(connectCredit + dt * settings.churnPerSecond(), settings.churnPerSecond());
            introCredit = Math.min(introCredit + dt * settings.introductionsPerSecond(), settings.introductionsPerSecond());
            joinCredit = Math.min(joinCredit + dt * settings.joinsPerSecond(), settings.joinsPerSecond());
            leaveCredit = Math.min(leaveCredit + dt * settings.joinsPerSecond(), settings.joinsPerSecond());
            synchronized (this) {
                while (closeCredit >= 1 && heldCount + connecting >= settings.population() && closeOne()) {
                    closeCredit--;
                }
                while (connectCredit >= 1 && heldCount + connecting < settings.population() && room() && connectOne()) {
                    connectCredit--;
                }
                while (introCredit >= 1 && room() && introduceOne()) {
                    introCredit--;
                }
                while (joinCredit >= 1 && room() && joinOne()) {
                    joinCredit--;
                }
                while (leaveCredit >= 1 && room() && leaveOne()) {
                    leaveCredit--;
                }
            }
            if (now >= nextExpiry) {
                expire(now);
                nextExpiry = now + SECOND / 4;
            }
            if (now >= nextScan) {
                scanLost();
                nextScan = now + SECOND;
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    private boolean room() {
        return live.size() < settings.maxPending();
    }

    /** Waits until every operation ended (or timed out). */
    private void drain() {
        long deadline = System.nanoTime() + (long) ((settings.timeoutSeconds() + 5) * SECOND);
        while (!live.isEmpty() && System.nanoTime() < deadline) {
            expire(System.nanoTime());
            LockSupport.parkNanos(100_000_000);
        }
    }

    // ---------------------------------------------------------------- operations (under this lock)

    private int issue(Kind kind, Purpose purpose, int slot, int other, boolean isLossy) {
        int op = nextOp++;
        live.put(op, new Op(kind, purpose, slot, other, isLossy));
        return op;
    }

    private boolean connectOne() {
        Integer slot = free.poll();
        if (slot == null) {
            return false;
        }
        ClientIdentity identity = identities.poll();
        if (identity == null) {
            free.addFirst(slot);
            return false;
        }
        boolean isLossy = random.nextDouble() < settings.lossyShare();
        lossy[slot] = isLossy;
        state[slot] = CONNECTING;
        connecting++;
        fleet.renew(slot, identity, isLossy ? settings.lossRate() : 0);
        int op = issue(Kind.CONNECT, Purpose.COUNTED, slot, -1, isLossy);
        fleet.connect(slot, tracker, op);
        return true;
    }

    private boolean closeOne() {
        // a client in the middle of a join, leave or introduction is not closed: that would fail it for the bench's sake
        for (int attempt = 0; attempt < 20 && heldCount > 0; attempt++) {
            int slot = heldList[random.nextInt(heldCount)];
            if (groupBusy[slot] || introductions[slot] > 0) {
                continue;
            }
            release(slot);
            int op = issue(Kind.CLOSE, Purpose.COUNTED, slot, -1, lossy[slot]);
            fleet.close(slot, tracker, op);
            return true;
        }
        return false;
    }

    /** The slot leaves the held clients: its peer-cap slots and group membership are forgotten. */
    private void release(int slot) {
        removeHeld(slot);
        state[slot] = CLOSING;
        for (int p : partners.get(slot)) {
            partners.get(p).remove(slot);
        }
        partners.get(slot).clear();
        if (group[slot] >= 0) {
            groupMembers.get(group[slot]).remove(slot);
            group[slot] = -1;
        }
    }

    private boolean introduceOne() {
        long now = System.nanoTime();
        for (int attempt = 0; attempt < 20 && heldCount >= 2; attempt++) {
            int a = heldList[random.nextInt(heldCount)];
            int b = heldList[random.nextInt(heldCount)];
            // one slot of the peer cap is left free on each side, for a partner whose close the server has not seen yet
            if (a == b || now - heldSince[a] < SETTLED_NANOS || now - heldSince[b] < SETTLED_NANOS
                    || partners.get(a).size() >= settings.peerCap() - 1 || partners.get(b).size() >= settings.peerCap() - 1
                    || partners.get(a).contains(b)) {
                continue;
            }
            partners.get(a).add(b);
            partners.get(b).add(a);
            introductions[a]++;
            introductions[b]++;
            int op = issue(Kind.INTRODUCTION, Purpose.COUNTED, a, b, lossy[a] || lossy[b]);
            fleet.introduce(a, b, tracker, op);
            return true;
        }
        return false;
    }

    private boolean joinOne() {
        if (groupIds.length == 0) {
            return false;
        }
        long now = System.nanoTime();
        for (int attempt = 0; attempt < 20 && heldCount > 0; attempt++) {
            int slot = heldList[random.nextInt(heldCount)];
            if (group[slot] >= 0 || groupBusy[slot] || now - heldSince[slot] < SETTLED_NANOS) {
                continue;
            }
            int g = random.nextInt(groupIds.length);
            group[slot] = g;
            boolean founder = steadyMembers(g) < 2;
            groupMembers.get(g).add(slot);
            if (founder) {
                // too few members that will stay to be sure of being named one: a founder, not measured
                fleet.join(slot, groupIds[g], null, -1);
                continue;
            }
            groupBusy[slot] = true;
            int op = issue(Kind.JOIN, Purpose.COUNTED, slot, g, lossy[slot]);
            fleet.join(slot, groupIds[g], tracker, op);
            return true;
        }
        return false;
    }

    /** Members of group {@code g} that are held, not lossy and not joining or leaving. */
    private int steadyMembers(int g) {
        int n = 0;
        for (int slot : groupMembers.get(g)) {
            if (state[slot] == HELD && !lossy[slot] && !groupBusy[slot]) {
                n++;
            }
        }
        return n;
    }

    private boolean leaveOne() {
        for (int attempt = 0; attempt < 20 && heldCount > 0; attempt++) {
            int slot = heldList[random.nextInt(heldCount)];
            int g = group[slot];
            if (g < 0 || groupBusy[slot]) {
                continue;
            }
            groupMembers.get(g).remove(slot);
            group[slot] = -1;
            groupBusy[slot] = true;
            int op = issue(Kind.LEAVE, Purpose.COUNTED, slot, g, lossy[slot]);
            fleet.leave(slot, groupIds[g], tracker, op);
            return true;
        }
        return false;
    }

    private void addHeld(int slot) {
        heldAt[slot] = heldCount;
        heldList[heldCount++] = slot;
        heldSince[slot] = System.nanoTime();
    }

    private void removeHeld(int slot) {
        int at = heldAt[slot];
        int last = heldList[--heldCount];
        heldList[at] = last;
        heldAt[last] = at;
    }

    /** Held clients whose server session ended without being asked: counted, then closed and freed. */
    private synchronized void scanLost() {
        for (int k = heldCount - 1; k >= 0; k--) {
            int slot = heldList[k];
            if (fleet.lostServer(slot)) {
                count(Kind.LOST, lossy[slot], false, "session ended by the server", null);
                groupBusy[slot] = false;
                release(slot);
                int op = issue(Kind.CLOSE, Purpose.CLEANUP, slot, -1, lossy[slot]);
                fleet.close(slot, tracker, op);
            }
        }
    }

    private void expire(long now) {
        long timeout = (long) (settings.timeoutSeconds() * SECOND);
        for (Map.Entry<Integer, Op> e : live.entrySet()) {
            Op o = e.getValue();
            if (now - o.issuedNanos > timeout) {
                String stage = switch (o.kind) {
                    case CONNECT -> fleet.connectStage(o.slot);
                    case INTRODUCTION -> fleet.peerStage(o.slot);
                    case JOIN -> "no member named";
                    case LEAVE -> "FIN not acknowledged";
                    default -> "no outcome";
                };
                tracker.fail(e.getKey(), "no outcome within " + settings.timeoutSeconds() + " s: " + stage, null);
            }
        }
    }

    private synchronized void ended(Op o, boolean ok, String reason, String detail) {
        switch (o.kind) {
            case CONNECT -> {
                connecting--;
                if (ok) {
                    state[o.slot] = HELD;
                    addHeld(o.slot);
                    if (!o.lossy) {
                        latencies.add(System.nanoTime() - o.startNanos);
                    }
                } else {
                    state[o.slot] = CLOSING;
                    int op = issue(Kind.CLOSE, Purpose.CLEANUP, o.slot, -1, o.lossy);
                    fleet.close(o.slot, tracker, op);
                }
            }
            case CLOSE -> {
                state[o.slot] = FREE;
                free.add(o.slot);
            }
            case INTRODUCTION -> {
                introductions[o.slot]--;
                introductions[o.other]--;
            }
            case JOIN -> groupBusy[o.slot] = false;
            case LEAVE -> groupBusy[o.slot] = false;
            default -> {
            }
        }
        if (o.purpose == Purpose.COUNTED) {
            count(o.kind, o.lossy, ok, reason, detail);
        }
    }

    private void count(Kind kind, boolean isLossy, boolean ok, String reason, String detail) {
        Counts c = counts.get(kind);
        if (ok) {
            counts.put(kind, new Counts(c.ok() + 1, c.failed(), c.injected()));
            return;
        }
        String key = kind.label() + ": " + reason;
        if (isLossy) {
            counts.put(kind, new Counts(c.ok(), c.failed(), c.injected() + 1));
            injected.merge(key, 1L, Long::sum);
        } else {
            counts.put(kind, new Counts(c.ok(), c.failed() + 1, c.injected()));
            failures.merge(key, 1L, Long::sum);
            if (detail != null) {
                examples.putIfAbsent(key, detail);
            }
        }
    }

    /** Where the fleet reports outcomes. */
    private final class Tracker implements Operations {
        @Override
        public void start(int op) {
            Op o = live.get(op);
            if (o != null) {
                o.startNanos = System.nanoTime();
            }
        }

        @Override
        public boolean succeed(int op) {
            Op o = live.remove(op);
            if (o == null) {
                return false;
            }
            ended(o, true, null, null);
            return true;
        }

        @Override
        public boolean fail(int op, String reason, String detail) {
            Op o = live.remove(op);
            if (o == null) {
                return false;
            }
            ended(o, false, reason, detail);
            return true;
        }
    }

    // ---------------------------------------------------------------- minutes

    private record Snapshot(Map<Kind, Counts> counts, ProcStats.Sample server, long benchCpuNanos, long nanos) {
    }

    private synchronized Map<Kind, Counts> snapshotCounts() {
        return new EnumMap<>(counts);
    }

    /** Takes the minute's counts now, and has the server read (GC, metrics, /proc) on the readings thread. */
    private Snapshot minuteDone(ExecutorService readings, int minute, Snapshot previous) {
        long now = System.nanoTime();
        Map<Kind, Counts> c;
        List<Long> lat;
        int held;
        synchronized (this) {
            c = new EnumMap<>(counts);
            lat = latencies;
            latencies = new ArrayList<>();
            held = heldCount;
        }
        ProcStats.Sample server = probe.cpu();
        long bench = selfCpu();
        Snapshot next = new Snapshot(c, server, bench, now);
        Map<Kind, Counts> delta = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            delta.put(k, c.get(k).minus(previous.counts().getOrDefault(k, Counts.NONE)));
        }
        double seconds = (now - previous.nanos()) / 1e9;
        double serverCpu = server != null && previous.server() != null
                ? (server.cpuNanos() - previous.server().cpuNanos()) / 1e7 / seconds : -1;
        double benchCpu = bench >= 0 && previous.benchCpuNanos() >= 0 ? (bench - previous.benchCpuNanos()) / 1e7 / seconds : -1;
        long[] samples = lat.stream().mapToLong(Long::longValue).toArray();
        Latencies.Summary l = Latencies.summarize(samples);
        long p50 = samples.length > 0 ? l.p50() : -1;
        long p99 = samples.length > 0 ? l.p99() : -1;
        double elapsed = (now - t0) / 1e9;
        readings.execute(() -> {
            long heap = probe.heapBytes("minute " + minute);
            ProcStats.Sample s = probe.cpu();
            double sessions = probe.metric("rtmfpd_sessions");
            Minute m = new Minute(minute, elapsed, delta, held, sessions >= 0 ? (long) sessions : -1, heap,
                    s != null ? s.rssBytes() : -1, probe.openFiles(), probe.threads(), p50, p99, serverCpu, benchCpu);
            minutes.add(m);
            synchronized (out) {
                out.println(SoakReport.line(m));
                out.flush();
            }
        });
        return next;
    }

    private static long selfCpu() {
        try {
            return new ProcStats(ProcessHandle.current().pid(), ProcStats.DEFAULT_TICKS_PER_SECOND).read().cpuNanos();
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }
}
