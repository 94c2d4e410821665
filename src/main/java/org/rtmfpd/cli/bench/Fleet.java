package org.rtmfpd.cli.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.rtmfpd.client.ClientCore;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientListener;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.client.GroupMembership;
import org.rtmfpd.client.Initiator;
import org.rtmfpd.client.RtmfpException;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.session.Clock;
import org.rtmfpd.session.Transmitter;

/**
 * Many simulated clients in one process: one {@link ClientCore} and one UDP socket per client, every socket
 * on a small shared Netty event loop group (no thread per client). Each core is only ever touched by the
 * event loop its socket is registered with. Timers run in a wheel per loop: every {@value #SLICE_MILLIS} ms
 * a slice of the loop's clients is ticked, so that each client's timers run every {@value #ROUND_MILLIS} ms
 * (handshake retransmissions come after 1 s and more, keepalives after 30 s).
 */
public final class Fleet implements AutoCloseable {
    static final long ROUND_MILLIS = 500;
    static final long SLICE_MILLIS = 25;
    /** Sockets being bound at once. */
    private static final int BIND_WINDOW = 1024;
    /** Receive buffer per datagram: startup packets may reach 4256 bytes (rtmfp-cpp). */
    private static final int RECEIVE_BUFFER = 8192;
    private static final String SUCCESS = "NetConnection.Connect.Success";
    private static final int HELLO_SENT = 1;
    private static final int REDIRECTED = 2;
    private static final int KEYING_SENT = 3;
    private static final int OPEN = 4;
    /** What a client waits for at each stage of a handshake. */
    private static final String[] STAGES = {"not started", "no RHello (or Redirect)", "no RHello from the peer",
        "no RIKeying", "no answer to connect on the open session"};

    private final EventLoopGroup group;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Wheel> wheels = new ArrayList<>();
    private final boolean epoll;
    private final Member[] members;
    private final URI url;
    private final InetSocketAddress server;
    private final LongAdder errors = new LongAdder();
    private final LongAdder injectedDrops = new LongAdder();
    private final ClientSettings settings;
    private final Clock clock = Clock.system();
    /** The event loops' thread IDs, for their CPU clocks. */
    private final long[] loopThreads;

    /**
     * @param threads event loop threads shared by every client
     * @param identities one per client, made beforehand (a static DH key each)
     */
    public Fleet(int threads, List<ClientIdentity> identities, ClientSettings settings, URI url, InetSocketAddress server) {
        this.url = url;
        this.server = server;
        this.settings = settings;
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-clients", true), io);
        List<SecureRandom> randoms = new ArrayList<>();
        for (EventExecutor executor : group) {
            EventLoop loop = (EventLoop) executor;
            loops.add(loop);
            Wheel wheel = new Wheel();
            wheels.add(wheel);
            loop.scheduleAtFixedRate(wheel, SLICE_MILLIS, SLICE_MILLIS, TimeUnit.MILLISECONDS);
            randoms.add(newRandom());
        }
        this.loopThreads = new long[loops.size()];
        for (int k = 0; k < loops.size(); k++) {
            loopThreads[k] = loops.get(k).submit(() -> Thread.currentThread().getId()).syncUninterruptibly().getNow();
        }
        this.members = new Member[identities.size()];
        for (int i = 0; i < members.length; i++) {
            int k = i % loops.size();
            members[i] = new Member(identities.get(i), loops.get(k), wheels.get(k), settings, clock, randoms.get(k),
                    injectedDrops);
        }
    }

    /** See {@link BenchRandom}: the simulated clients' tags and session IDs need only differ. */
    private static SecureRandom newRandom() {
        return new BenchRandom();
    }

    public int size() {
        return members.length;
    }

    /** Whether the sockets use Netty's native epoll transport (else NIO). */
    public boolean usesEpoll() {
        return epoll;
    }

    /** The CPU time the event loop threads have used, user and system, in nanoseconds (their thread clocks). */
    public long loopCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : loopThreads) {
            sum += Math.max(0, threads.getThreadCpuTime(id));
        }
        return sum;
    }

    /** Datagrams or timer runs that threw inside a client core. */
    public long errors() {
        return errors.sum();
    }

    public ClientIdentity identity(int i) {
        return members[i].identity;
    }

    /** The peer ID of the client slot {@code i} holds now (it changes with {@link #renew}). */
    public byte[] peerId(int i) {
        return members[i].identity.peerId();
    }

    /** Whether client {@code i} has a socket; {@link #bindFailure} says why not. */
    public boolean isBound(int i) {
        return members[i].channel != null;
    }

    public String bindFailure(int i) {
        return members[i].bindFailure;
    }

    /**
     * Binds a socket on an ephemeral port for every client, the source addresses taken in turn, and waits.
     * Returns how many were bound; {@code progress} gets the count now and then.
     */
    public int bind(List<InetAddress> sources, java.util.function.IntConsumer progress) throws InterruptedException {
        Bootstrap[] bootstraps = new Bootstrap[loops.size()];
        for (int k = 0; k < loops.size(); k++) {
            bootstraps[k] = new Bootstrap().group(loops.get(k))
                    .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER));
        }
        Semaphore window = new Semaphore(BIND_WINDOW);
        AtomicInteger bound = new AtomicInteger();
        for (int i = 0; i < members.length; i++) {
            window.acquire();
            Member m = members[i];
            Bootstrap b = bootstraps[i % loops.size()];
            b.handler(new Inbound(m, errors))
                    .bind(new InetSocketAddress(sources.get(i % sources.size()), 0))
                    .addListener(f -> {
                        if (f.isSuccess()) {
                            Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
                            m.local = ((DatagramChannel) ch).localAddress();
                            m.channel = ch;
                            bound.incrementAndGet();
                        } else {
                            m.bindFailure = String.valueOf(f.cause().getMessage());
                        }
                        window.release();
                    });
            if (progress != null && (i + 1) % 10_000 == 0) {
                progress.accept(i + 1);
            }
        }
        window.acquire(BIND_WINDOW);
        window.release(BIND_WINDOW);
        return bound.get();
    }

    /**
     * Client {@code i} connects (handshake, then {@code connect}); operation {@code op} of {@code phase}
     * succeeds when {@code _result} arrives, after which the client sends {@code setPeerInfo} with its
     * address, as Flash Player does.
     */
    public void connect(int i, Operations phase, int op) {
        connect(i, phase, op, url, server);
    }

    /**
     * As {@link #connect(int, Operations, int)}, to another server than the fleet's: {@code url} names it
     * (with the developer key) and {@code server} is its address. A cluster bench connects the targets of
     * the introductions to a second node this way.
     */
    public void connect(int i, Operations phase, int op, URI url, InetSocketAddress server) {
        Member m = members[i];
        if (m.channel == null) {
            phase.fail(op, "no socket", m.bindFailure);
            return;
        }
        m.loop.execute(() -> {
            m.activate();
            phase.start(op);
            m.core.connect(url, server).whenComplete((info, failure) -> {
                if (failure != null) {
                    phase.fail(op, reason(failure), detail(failure));
                    return;
                }
                Object code = info.get("code");
                if (SUCCESS.equals(code)) {
                    phase.succeed(op);
                    m.connected = true;
                    m.core.setPeerInfo(List.of(m.local));
                } else {
                    phase.fail(op, "rejected: " + code, String.valueOf(info.get("description")));
                }
            });
        });
    }

    /** Where client {@code i}'s connect stalls: what it has not received. */
    public String connectStage(int i) {
        return STAGES[members[i].serverStage];
    }

    /** Where client {@code i}'s latest introduction stalls. */
    public String peerStage(int i) {
        int stage = members[i].peerStage;
        return stage == OPEN ? "peer session open, not reported" : STAGES[stage];
    }

    /** Where client {@code i}'s latest introduction that ends at the Forwarded IHello stalls. */
    public String forwardStage(int i) {
        return members[i].peerStage < REDIRECTED ? "no Redirect" : "no Forwarded IHello at the target";
    }

    /** Whether client {@code i} has had its {@code _result}. */
    public boolean isConnected(int i) {
        return members[i].connected;
    }

    /** Client {@code i} asks the server for client {@code target} by peer ID; {@code op} succeeds when their session opens. */
    public void introduce(int i, int target, Operations phase, int op) {
        Member m = members[i];
        byte[] peerId = members[target].identity.peerId();
        m.loop.execute(() -> {
            m.peerStage = 0;
            phase.start(op);
            m.core.connectToPeer(peerId).whenComplete((peer, failure) -> {
                if (failure != null) {
                    phase.fail(op, reason(failure), detail(failure));
                } else {
                    phase.succeed(op);
                }
            });
        });
    }

    /**
     * Client {@code i} asks the server for client {@code target} by peer ID and stops at the server's answer:
     * {@code op} succeeds when {@code i} has the Redirect and {@code target} the Forwarded IHello (whichever
     * comes last), with no keying between the two. Each pair must have at most one such operation pending.
     */
    public void introduceUntilForwarded(int i, int target, Operations phase, int op) {
        Member m = members[i];
        Member t = members[target];
        byte[] peerId = t.identity.peerId();
        InetSocketAddress from = m.local;
        java.util.concurrent.atomic.AtomicInteger halves = new java.util.concurrent.atomic.AtomicInteger();
        Runnable half = () -> {
            if (halves.incrementAndGet() == 2) {
                phase.succeed(op);
            }
        };
        t.forwardsAwaited.put(from, half);
        if (!t.silent) {
            t.silent = true;
            t.loop.execute(() -> t.core.answerIntroductions(false)); // its RHello would only be ignored
        }
        m.loop.execute(() -> {
            m.peerStage = 0;
            phase.start(op);
            m.core.requestIntroduction(peerId).whenComplete((addresses, failure) -> {
                if (failure != null) {
                    t.forwardsAwaited.remove(from, half);
                    phase.fail(op, reason(failure), detail(failure));
                } else {
                    half.run();
                }
            });
        });
    }

    /**
     * Client {@code i} joins the NetGroup {@code groupId}; with a {@code phase}, operation {@code op}
     * succeeds when the server names the first member to it.
     */
    public void join(int i, byte[] groupId, Operations phase, int op) {
        Member m = members[i];
        m.loop.execute(() -> {
            if (phase != null) {
                m.joinPhase = phase;
                m.joinOp = op;
                phase.start(op);
            }
            m.core.joinGroup(groupId).whenComplete((membership, failure) -> {
                if (failure != null) {
                    if (phase != null) {
                        phase.fail(op, reason(failure), detail(failure));
                    }
                } else {
                    m.groups.put(java.util.HexFormat.of().formatHex(groupId), membership);
                }
            });
        });
    }

    /**
     * Client {@code i} leaves the NetGroup {@code groupId} it joined (ends its GC flow); operation {@code op}
     * succeeds when the server acknowledged the end of the flow.
     */
    public void leave(int i, byte[] groupId, Operations ops, int op) {
        Member m = members[i];
        m.loop.execute(() -> {
            ops.start(op);
            GroupMembership membership = m.groups.remove(java.util.HexFormat.of().formatHex(groupId));
            if (membership == null) {
                ops.fail(op, "not in the group", null);
                return;
            }
            m.core.leaveGroup(membership).whenComplete((v, failure) -> {
                if (failure != null) {
                    ops.fail(op, reason(failure), detail(failure));
                } else {
                    ops.succeed(op);
                }
            });
        });
    }

    /**
     * Client {@code i} closes its sessions (Close Requests); operation {@code op}, if {@code ops} is not
     * null, succeeds when they were acknowledged or the client stopped waiting (1 s).
     */
    public void close(int i, Operations ops, int op) {
        Member m = members[i];
        m.loop.execute(() -> {
            m.closedByUs = true;
            if (ops != null) {
                ops.start(op);
            }
            m.core.close().whenComplete((v, failure) -> {
                m.connected = false;
                if (ops == null) {
                    return;
                }
                if (failure != null) {
                    ops.fail(op, reason(failure), detail(failure));
                } else {
                    ops.succeed(op);
                }
            });
        });
    }

    /**
     * Gives slot {@code i}, whose client was closed (or never used), a new client with {@code identity}
     * on the same socket; with {@code lossRate} above 0 its datagrams are dropped at that rate both ways.
     * Runs on the slot's event loop, before anything asked of the slot afterwards.
     */
    public void renew(int i, ClientIdentity identity, double lossRate) {
        Member m = members[i];
        m.loop.execute(() -> m.renew(identity, lossRate));
    }

    /** Whether client {@code i}'s session with the server closed without the bench asking for it. */
    public boolean lostServer(int i) {
        return members[i].lostServer;
    }

    /** Datagrams a lossy client dropped on purpose, both ways. */
    public long injectedDrops() {
        return injectedDrops.sum();
    }

    /**
     * Every active client sends its Close Requests, {@code perSecond} clients a second (a burst would
     * overflow the server's socket buffer, and a lost Close Request leaves the session to the server's idle
     * timeout); then waits until they are acknowledged or {@code waitMillis} passed.
     */
    public void closeAll(double perSecond, long waitMillis) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        long t0 = System.nanoTime();
        int issued = 0;
        for (Member m : members) {
            if (m.channel == null) {
                continue;
            }
            long due = t0 + (long) (issued++ / perSecond * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            closing.add(done);
            m.loop.execute(() -> {
                if (m.active) {
                    m.core.close().whenComplete((v, e) -> done.complete(null));
                } else {
                    done.complete(null);
                }
            });
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // what is not acknowledged by now is left to the server's idle timeout
        }
    }

    /** Closes every socket, waits for that, and stops the event loops. */
    @Override
    public void close() {
        List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
        for (Member m : members) {
            Channel ch = m.channel;
            if (ch != null) {
                closing.add(ch.close());
            }
        }
        for (io.netty.channel.ChannelFuture f : closing) {
            f.awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** A short, repeatable failure category: the client's reason, or the exception's class. */
    static String reason(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof RtmfpException e) {
            return e.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
        return t.getClass().getSimpleName();
    }

    private static String detail(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return t.getMessage();
    }

    /** One simulated client: its core, its socket, and what the bench waits for from it. */
    private static final class Member implements Transmitter, ClientListener {
        volatile ClientIdentity identity;
        final EventLoop loop;
        final Wheel wheel;
        final ClientSettings settings;
        final Clock clock;
        final SecureRandom random;
        final LongAdder injectedDrops;
        ClientCore core;
        /** The NetGroups joined, by group ID in hex. */
        final java.util.Map<String, GroupMembership> groups = new java.util.HashMap<>();
        /** Share of datagrams dropped on purpose, both ways (0: none). */
        volatile double lossRate;
        volatile boolean closedByUs;
        volatile boolean lostServer;
        volatile Channel channel;
        volatile String bindFailure = "not bound";
        volatile InetSocketAddress local;
        volatile boolean connected;
        /** How far the server handshake and the latest peer handshake got: see {@link #STAGES}. */
        volatile int serverStage;
        volatile int peerStage;
        boolean active;
        /** Whether this client's core no longer answers IHellos (a target of introductions that end at the forward). */
        volatile boolean silent;
        /** What to run when the server forwards an IHello from each initiator address: see introduceUntilForwarded. */
        final java.util.concurrent.ConcurrentHashMap<InetSocketAddress, Runnable> forwardsAwaited =
                new java.util.concurrent.ConcurrentHashMap<>();
        Operations joinPhase;
        int joinOp = -1;

        Member(ClientIdentity identity, EventLoop loop, Wheel wheel, ClientSettings settings, Clock clock,
               SecureRandom random, LongAdder injectedDrops) {
            this.identity = identity;
            this.loop = loop;
            this.wheel = wheel;
            this.settings = settings;
            this.clock = clock;
            this.random = random;
            this.injectedDrops = injectedDrops;
            this.core = new ClientCore(identity, settings, this, clock, System::nanoTime, random, this);
        }

        /** A new client on this socket; the old core is dropped (it was closed). On the loop only. */
        void renew(ClientIdentity next, double loss) {
            identity = next;
            core = new ClientCore(next, settings, this, clock, System::nanoTime, random, this);
            lossRate = loss;
            silent = false;
            connected = false;
            closedByUs = false;
            lostServer = false;
            serverStage = 0;
            peerStage = 0;
            joinPhase = null;
            joinOp = -1;
            groups.clear();
        }

        /** Whether a lossy client drops this datagram, in or out. */
        boolean drops() {
            double loss = lossRate;
            if (loss > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < loss) {
                injectedDrops.increment();
                return true;
            }
            return false;
        }

        @Override
        public void onServerClosed() {
            if (!closedByUs) {
                lostServer = true;
            }
            connected = false;
        }

        /** From its first operation on, the client's timers run. */
        void activate() {
            if (!active) {
                active = true;
                wheel.members.add(this);
            }
        }

        @Override
        public void send(InetSocketAddress to, byte[] datagram) {
            Channel ch = channel;
            if (ch != null && !drops()) {
                // On the channel's own loop: straight to its outbound buffer, in the direct memory the
                // socket sends from, without a pass through the pipeline (it holds no outbound handler).
                io.netty.buffer.ByteBuf content = ch.alloc().directBuffer(datagram.length).writeBytes(datagram);
                Channel.Unsafe unsafe = ch.unsafe();
                unsafe.write(new DatagramPacket(content, to), unsafe.voidPromise());
                unsafe.flush();
            }
        }

        @Override
        public void onHelloSent(Initiator handshake, InetSocketAddress to, int attempt) {
            if (handshake.isByFingerprint()) {
                peerStage = Math.max(peerStage, HELLO_SENT);
            } else {
                serverStage = Math.max(serverStage, HELLO_SENT);
            }
        }

        @Override
        public void onRedirect(Initiator handshake, InetSocketAddress from, List<InetSocketAddress> addresses) {
            peerStage = Math.max(peerStage, REDIRECTED);
        }

        @Override
        public void onResponderHello(Initiator handshake, InetSocketAddress from, Certificate certificate) {
            if (handshake.isByFingerprint()) {
                peerStage = Math.max(peerStage, KEYING_SENT);
            } else {
                serverStage = Math.max(serverStage, KEYING_SENT);
            }
        }

        @Override
        public void onHandshakeOpened(Initiator handshake, Initiator.Opened opened) {
            if (handshake.isByFingerprint()) {
                peerStage = OPEN;
            } else {
                serverStage = OPEN;
            }
        }

        @Override
        public void onIntroduction(InetSocketAddress initiator) {
            Runnable half = forwardsAwaited.remove(initiator);
            if (half != null) {
                half.run();
            }
        }

        @Override
        public void onGroupMember(GroupMembership group, byte[] peerId) {
            if (joinPhase != null && joinOp >= 0) {
                joinPhase.succeed(joinOp);
                joinOp = -1;
            }
        }
    }

    /** Ticks a slice of one loop's active clients each time it runs. Runs on that loop only. */
    private final class Wheel implements Runnable {
        final List<Member> members = new ArrayList<>();
        private int cursor;

        @Override
        public void run() {
            int n = members.size();
            if (n == 0) {
                return;
            }
            int slice = (int) Math.min(n, (n * SLICE_MILLIS + ROUND_MILLIS - 1) / ROUND_MILLIS);
            for (int k = 0; k < slice; k++) {
                if (cursor >= n) {
                    cursor = 0;
                }
                Member m = members.get(cursor++);
                try {
                    m.core.tick();
                } catch (RuntimeException e) {
                    errors.increment();
                }
            }
        }
    }

    /** Hands each datagram a client's socket receives to its core. */
    private static final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Member member;
        private final LongAdder errors;

        Inbound(Member member, LongAdder errors) {
            this.member = member;
            this.errors = errors;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (member.drops()) {
                return;
            }
            try {
                member.core.receive(ByteBufUtil.getBytes(packet.content()), packet.sender());
            } catch (RuntimeException e) {
                errors.increment();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.increment();
        }
    }
}
