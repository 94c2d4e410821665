package org.rtmfpd.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.session.Clock;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.session.RecvFlow;
import org.rtmfpd.session.SendFlow;
import org.rtmfpd.session.Session;
import org.rtmfpd.session.SessionListener;
import org.rtmfpd.session.Transmitter;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.CookieChange;
import org.rtmfpd.wire.ForwardedIHello;
import org.rtmfpd.wire.IHello;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.RHello;
import org.rtmfpd.wire.RIKeying;
import org.rtmfpd.wire.Redirect;
import org.rtmfpd.flash.Command;
import org.rtmfpd.flash.TcMessage;
import org.rtmfpd.wire.WireException;

/**
 * The protocol core of an RTMFP client, without I/O: turns received datagrams, timer ticks and the
 * application's requests (connect, setPeerInfo, calls, pings, peer introductions, NetGroup joins, close)
 * into datagrams for its {@link Transmitter} and into completed futures. It keeps one session with the
 * server (Flash profile, RFC 7425 §5: a NetConnection flow {@code TC 04 00} carrying AMF0 commands) and
 * any number of direct sessions with peers, which it opens as initiator (IHello by peer ID to the server,
 * RFC 7016 §3.5.1.6) or accepts as responder when the server forwards another peer's IHello.
 *
 * <p>Not thread-safe: one thread must make every call, and futures complete on that thread.
 * {@link RtmfpClient} puts it behind a Netty event loop.
 */
public final class ClientCore {
    /** How long {@link #close} waits for the far ends to acknowledge the Close Request. */
    static final long CLOSE_WAIT_MILLIS = 1_000;
    /** A ping with no reply after this long fails with a timeout. */
    static final long PING_TIMEOUT_MILLIS = 10_000;
    /** Direct sessions with peers this client holds at most; more introductions are ignored. */
    static final int MAX_PEER_SESSIONS = 64;
    /** Flow metadata of the NetConnection control flow: {@code TC}, stream ID present, stream 0 (RFC 7425 §5.1). */
    static final byte[] NETCONNECTION_METADATA = {'T', 'C', 0x04, 0x00};
    /** Flow metadata of a NetGroup flow to the server, as librtmfp writes it (only the {@code GC} prefix). */
    static final byte[] GROUP_METADATA = {'G', 'C'};
    /** TC message types (RFC 7425 §5.1.1). */
    /** NetGroup join message head ({@code 01 | VLU 33 | 15}) and member entry type (brief §4.6). */
    private static final byte[] GROUP_JOIN_HEAD = {0x01, 0x21, 0x15};
    private static final int GROUP_MEMBER = 0x0b;
    private static final int PEER_ID_LENGTH = 32;
    private static final byte PING_MARK = 'P';

    private final ClientIdentity identity;
    private final ClientSettings settings;
    private final Transmitter transmitter;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final SecureRandom random;
    private final ClientListener listener;
    private final PeerResponder responder;

    private final List<Initiator> handshakes = new ArrayList<>();
    private final Map<Integer, Initiator> handshakesById = new HashMap<>();
    private final Map<Integer, Session> sessions = new HashMap<>();
    private final Map<Integer, PeerSession> peers = new LinkedHashMap<>();

    private final ServerListener serverListener = new ServerListener();
    private final PeerListener peerListener = new PeerListener();
    private URI url;
    private InetSocketAddress serverAddress;
    private Session server;
    private SendFlow control;
    private long resultFlowId = -1;
    private CompletableFuture<Map<String, Object>> connectResult;
    private final Map<Long, CompletableFuture<Object>> calls = new HashMap<>();
    private long nextTransaction = 2;
    private final Map<Long, PendingPing> pings = new HashMap<>();
    private long nextPing = 1;
    private final Map<Long, GroupMembership> groupsByFlow = new HashMap<>();
    private final Map<GroupMembership, SendFlow> groupFlows = new HashMap<>();
    private final List<Leaving> leaving = new ArrayList<>();
    private final Map<String, CompletableFuture<PeerSession>> peerRequests = new HashMap<>();
    private CompletableFuture<Void> closing;
    private long closeDeadline;

    private record Leaving(SendFlow flow, CompletableFuture<Void> done) {
    }

    private record PendingPing(long sentAtMillis, long sentAtNanos, CompletableFuture<Duration> result) {
    }

    /**
     * @param nanoTime a finer clock for round-trip times; {@code null} uses {@code clock} in whole milliseconds
     */
    public ClientCore(ClientIdentity identity, ClientSettings settings, Transmitter transmitter, Clock clock,
                      LongSupplier nanoTime, SecureRandom random, ClientListener listener) {
        this.identity = identity;
        this.settings = settings;
        this.transmitter = transmitter;
        this.clock = clock;
        this.nanoTime = nanoTime != null ? nanoTime : () -> clock.nowMillis() * 1_000_000L;
        this.random = random;
        this.listener = listener != null ? listener : new ClientListener() { };
        this.responder = new PeerResponder(identity, settings, transmitter, clock, random);
    }

    public ClientIdentity identity() {
        return identity;
    }

    /** Whether the server session is open and {@code connect} was answered with {@code _result}. */
    public boolean isConnected() {
        return server != null && server.isOpen() && resultFlowId >= 0;
    }

    /** The server's fingerprint, once its session is open. */
    public byte[] serverFingerprint() {
        return server != null ? server.farFingerprint() : null;
    }

    /** The direct sessions with peers that are open. */
    public List<PeerSession> peers() {
        return List.copyOf(peers.values());
    }

    // ---------------------------------------------------------------- requests

    /**
     * Opens the session with the server at {@code address} for {@code url} ({@code rtmfp://host[:port]/KEY}),
     * then sends {@code connect}. Completes with the info object of the {@code _result} or {@code _error}
     * answer ({@code code}, {@code description}, ...); fails if the session cannot be opened.
     */
    public CompletableFuture<Map<String, Object>> connect(URI url, InetSocketAddress address) {
        if (closing != null) {
            return closedFuture();
        }
        if (connectResult != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("connect was already called"));
        }
        this.url = url;
        this.serverAddress = address;
        this.connectResult = new CompletableFuture<>();
        startHandshake(Initiator.serverEpd(url.toString()), new ServerHandshake(), address);
        return connectResult;
    }

    /** Sends {@code setPeerInfo} with this client's addresses (RFC 7425 §5.3.3); no answer is expected. */
    public CompletableFuture<Void> setPeerInfo(List<InetSocketAddress> addresses) {
        CompletableFuture<Void> refused = requireControl();
        if (refused != null) {
            return refused;
        }
        List<Object> args = new ArrayList<>();
        for (InetSocketAddress address : addresses) {
            args.add(presentation(address));
        }
        sendCommand("setPeerInfo", 0, args.toArray());
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Calls a server command with a null command object and {@code args}. Completes with the first value
     * after the command object of {@code _result}, or fails with {@link RtmfpException.Reason#CALL_FAILED}
     * carrying the {@code _error} info object.
     */
    public CompletableFuture<Object> call(String name, Object... args) {
        CompletableFuture<Object> refused = requireControl();
        if (refused != null) {
            return refused;
        }
        long transaction = nextTransaction++;
        CompletableFuture<Object> result = new CompletableFuture<>();
        calls.put(transaction, result);
        sendCommand(name, transaction, args);
        return result;
    }

    /** Pings the server (RFC 7016 §2.3.9) and completes with the round-trip time. */
    public CompletableFuture<Duration> ping() {
        if (closing != null) {
            return closedFuture();
        }
        if (server == null || !server.isOpen()) {
            return notOpen();
        }
        long id = nextPing++;
        CompletableFuture<Duration> result = new CompletableFuture<>();
        pings.put(id, new PendingPing(clock.nowMillis(), nanoTime.getAsLong(), result));
        ByteBuf body = Unpooled.buffer(9);
        body.writeByte(PING_MARK);
        body.writeLong(id);
        server.ping(ByteBufs.toArray(body));
        server.flush();
        return result;
    }

    /**
     * Asks the server to introduce this client to the peer with {@code peerId}: an IHello naming it goes to
     * the server from this client's socket, and then to each address of the Redirect. Completes when the
     * direct session with the peer is open. A request for a peer already being looked for shares its result.
     */
    public CompletableFuture<PeerSession> connectToPeer(byte[] peerId) {
        if (closing != null) {
            return closedFuture();
        }
        if (serverAddress == null) {
            return notOpen();
        }
        if (Arrays.equals(peerId, identity.peerId())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("that is this client's own peer ID"));
        }
        for (PeerSession peer : peers.values()) {
            if (Arrays.equals(peer.peerId(), peerId)) {
                return CompletableFuture.completedFuture(peer);
            }
        }
        String key = HexFormat.of().formatHex(peerId);
        CompletableFuture<PeerSession> pending = peerRequests.get(key);
        if (pending != null) {
            return pending;
        }
        CompletableFuture<PeerSession> result = new CompletableFuture<>();
        peerRequests.put(key, result);
        result.whenComplete((peer, failure) -> peerRequests.remove(key, result));
        startHandshake(Initiator.peerEpd(peerId), new PeerHandshake(result), serverAddress);
        return result;
    }

    /**
     * Whether this client answers the IHellos that name it, the server's Forwarded IHellos included, with an
     * RHello (true, the default), or only reports them to its listener ({@code onIntroduction}): a bench's
     * targets, whose introductions end at the Forwarded IHello, need not answer.
     */
    public void answerIntroductions(boolean on) {
        responder.answer(on);
    }

    /**
     * Asks the server to introduce this client to the peer with {@code peerId}, as {@link #connectToPeer}
     * does, and stops at the server's answer: completes with the addresses of the Redirect and sends nothing
     * to them (the target still gets the Forwarded IHello and answers this client with an RHello, which is
     * ignored). For a bench that loads the server's introductions without the peers' keying.
     */
    public CompletableFuture<List<InetSocketAddress>> requestIntroduction(byte[] peerId) {
        if (closing != null) {
            return closedFuture();
        }
        if (serverAddress == null) {
            return notOpen();
        }
        CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
        startHandshake(Initiator.peerEpd(peerId), new RedirectOnly(result), serverAddress);
        return result;
    }

    /**
     * Joins a NetGroup through the server (brief §4.6): opens a {@code GC} flow associated with the server's
     * flow that answered {@code connect}, and sends {@code 01 21 15 <groupId>}. Members arrive later.
     */
    public CompletableFuture<GroupMembership> joinGroup(byte[] groupId) {
        if (groupId.length != PEER_ID_LENGTH) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a group ID has 32 bytes"));
        }
        if (closing != null) {
            return closedFuture();
        }
        if (!isConnected()) {
            return notOpen();
        }
        SendFlow flow = server.openFlow(GROUP_METADATA, resultFlowId);
        GroupMembership membership = new GroupMembership(groupId);
        groupsByFlow.put(flow.flowId(), membership);
        groupFlows.put(membership, flow);
        byte[] join = Arrays.copyOf(GROUP_JOIN_HEAD, GROUP_JOIN_HEAD.length + groupId.length);
        System.arraycopy(groupId, 0, join, GROUP_JOIN_HEAD.length, groupId.length);
        flow.send(join);
        server.flush();
        return CompletableFuture.completedFuture(membership);
    }

    /**
     * Leaves a NetGroup joined with {@link #joinGroup}: ends its {@code GC} flow (a final fragment with
     * FIN), which the server takes for a leave. Completes when the server acknowledged the FIN; fails if
     * this client is not in that group, or if the session with the server ends first.
     */
    public CompletableFuture<Void> leaveGroup(GroupMembership membership) {
        if (closing != null) {
            return closedFuture();
        }
        if (!isConnected()) {
            return notOpen();
        }
        SendFlow flow = groupFlows.remove(membership);
        if (flow == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not in that group through this client"));
        }
        groupsByFlow.remove(flow.flowId());
        flow.close();
        server.flush();
        CompletableFuture<Void> done = new CompletableFuture<>();
        leaving.add(new Leaving(flow, done));
        return done;
    }

    /**
     * Closes every session (Close Request, RFC 7016 §3.5.5.1) and abandons handshakes; completes once every
     * far end acknowledged or {@value #CLOSE_WAIT_MILLIS} ms passed. Nothing works afterwards.
     */
    public CompletableFuture<Void> close() {
        if (closing != null) {
            return closing;
        }
        closing = new CompletableFuture<>();
        closeDeadline = clock.nowMillis() + CLOSE_WAIT_MILLIS;
        for (Initiator handshake : List.copyOf(handshakes)) {
            handshake.cancel("the client is closing");
        }
        for (Session session : List.copyOf(sessions.values())) {
            session.close();
        }
        checkLeaving();
        checkClosed();
        return closing;
    }

    // ---------------------------------------------------------------- input

    /** Handles one datagram from {@code from}; anything that fails a check is dropped silently. */
    public void receive(byte[] datagram, InetSocketAddress from) {
        if (datagram.length < Datagrams.SSID_LENGTH + PacketCipher.BLOCK) {
            return;
        }
        int sessionId = Datagrams.sessionId(datagram);
        if (sessionId == 0) {
            onStartup(datagram, from);
        } else if (handshakesById.containsKey(sessionId)) {
            onKeyingReply(handshakesById.get(sessionId), datagram, from);
        } else {
            Session session = sessions.get(sessionId);
            if (session != null) {
                Datagrams.Decoded decoded;
                try {
                    decoded = Datagrams.decode(datagram, session.cipher());
                } catch (RuntimeException e) {
                    return; // a late RIKeying under the default key, or damage: drop it (RFC 7016 §3.5.2)
                }
                session.receive(decoded, from);
            }
        }
        checkLeaving();
        checkRefused();
        checkClosed();
    }

    /** Runs every timer: handshake retransmission and deadlines, session timers, ping timeouts, close. */
    public void tick() {
        long now = clock.nowMillis();
        for (Initiator handshake : List.copyOf(handshakes)) {
            handshake.tick();
        }
        for (Session session : List.copyOf(sessions.values())) {
            session.tick();
            if (session.isClosed()) {
                sessions.remove(session.nearId());
                peers.remove(session.nearId());
            }
        }
        for (Map.Entry<Long, PendingPing> e : List.copyOf(pings.entrySet())) {
            if (now - e.getValue().sentAtMillis() >= PING_TIMEOUT_MILLIS) {
                pings.remove(e.getKey());
                e.getValue().result().completeExceptionally(
                        new RtmfpException(RtmfpException.Reason.TIMEOUT, "no Ping Reply within " + PING_TIMEOUT_MILLIS + " ms"));
            }
        }
        checkLeaving();
        checkRefused();
        checkClosed();
    }

    private void onStartup(byte[] datagram, InetSocketAddress from) {
        List<Chunk> chunks = StartupPackets.decode(datagram);
        if (chunks == null || chunks.isEmpty() || closing != null) {
            return;
        }
        Chunk chunk = chunks.get(0); // one handshake chunk per packet, as rtmfp-cpp processes them
        if (chunk instanceof RHello hello) {
            for (Initiator handshake : List.copyOf(handshakes)) {
                if (handshake.hasTag(hello.tagEcho())) {
                    handshake.onRHello(hello, from);
                }
            }
        } else if (chunk instanceof Redirect redirect) {
            for (Initiator handshake : List.copyOf(handshakes)) {
                if (handshake.hasTag(redirect.tagEcho())) {
                    handshake.onRedirect(redirect, from);
                }
            }
        } else if (chunk instanceof IHello hello) {
            responder.onHello(hello.epd(), hello.tag(), from);
        } else if (chunk instanceof IIKeying keying && peers.size() < MAX_PEER_SESSIONS) {
            PeerResponder.Accepted accepted = responder.onIIKeying(keying, from, this::allocateSessionId);
            if (accepted != null) {
                Session session = new Session(accepted.nearId(), accepted.farId(), false, accepted.farAddress(),
                        accepted.initiatorCertificate().fingerprint(), accepted.cipher(), transmitter, clock,
                        settings.session(), peerListener);
                openedPeer(session, false);
            }
        }
    }

    private void onKeyingReply(Initiator handshake, byte[] datagram, InetSocketAddress from) {
        List<Chunk> chunks = StartupPackets.decode(datagram);
        if (chunks == null) {
            return;
        }
        for (Chunk chunk : chunks) {
            if (chunk instanceof RIKeying keying) {
                handshake.onRIKeying(keying, from);
                return;
            }
            if (chunk instanceof CookieChange change) {
                handshake.onCookieChange(change, from);
                return;
            }
        }
    }

    // ---------------------------------------------------------------- handshakes

    private void startHandshake(byte[] epd, Initiator.Listener outcome, InetSocketAddress to) {
        Initiator handshake = new Initiator(identity, settings, epd, allocateSessionId(), transmitter, clock, random,
                new Forwarding(outcome));
        handshakes.add(handshake);
        handshakesById.put(handshake.sessionId(), handshake);
        handshake.start(List.of(to));
    }

    private void finished(Initiator handshake) {
        handshakes.remove(handshake);
        handshakesById.remove(handshake.sessionId());
    }

    /** A random non-zero session ID that no session or handshake of this client uses. */
    private int allocateSessionId() {
        int id;
        do {
            id = random.nextInt();
        } while (id == 0 || sessions.containsKey(id) || handshakesById.containsKey(id));
        return id;
    }

    /** Passes progress to the client's listener and the outcome to the handshake's own. */
    private final class Forwarding implements Initiator.Listener {
        private final Initiator.Listener outcome;

        Forwarding(Initiator.Listener outcome) {
            this.outcome = outcome;
        }

        @Override
        public void onHelloSent(Initiator initiator, InetSocketAddress to, int attempt) {
            listener.onHelloSent(initiator, to, attempt);
        }

        @Override
        public void onResponderHello(Initiator initiator, InetSocketAddress from, Certificate certificate) {
            listener.onResponderHello(initiator, from, certificate);
        }

        @Override
        public void onRedirect(Initiator initiator, InetSocketAddress from, List<InetSocketAddress> addresses) {
            listener.onRedirect(initiator, from, addresses);
            outcome.onRedirect(initiator, from, addresses);
        }

        @Override
        public void onOpened(Initiator initiator, Initiator.Opened opened) {
            finished(initiator);
            listener.onHandshakeOpened(initiator, opened);
            outcome.onOpened(initiator, opened);
        }

        @Override
        public void onFailed(Initiator initiator, RtmfpException failure) {
            finished(initiator);
            outcome.onFailed(initiator, failure);
        }
    }

    private final class ServerHandshake implements Initiator.Listener {
        @Override
        public void onOpened(Initiator initiator, Initiator.Opened opened) {
            server = new Session(opened.nearId(), opened.farId(), true, opened.farAddress(),
                    opened.responderCertificate().fingerprint(), opened.cipher(), transmitter, clock,
                    settings.session(), serverListener);
            sessions.put(server.nearId(), server);
            control = server.openFlow(NETCONNECTION_METADATA, -1);
            Map<String, Object> command = new LinkedHashMap<>();
            command.put("app", app(url));
            command.put("flashVer", settings.flashVersion());
            command.put("tcUrl", url.toString());
            command.put("objectEncoding", settings.objectEncoding());
            control.send(new Command("connect", 1.0, command, List.of()).toMessage().toBytes());
            server.flush();
        }

        @Override
        public void onFailed(Initiator initiator, RtmfpException failure) {
            connectResult.completeExceptionally(failure);
        }
    }

    private final class PeerHandshake implements Initiator.Listener {
        private final CompletableFuture<PeerSession> result;

        PeerHandshake(CompletableFuture<PeerSession> result) {
            this.result = result;
        }

        @Override
        public void onOpened(Initiator initiator, Initiator.Opened opened) {
            Session session = new Session(opened.nearId(), opened.farId(), true, opened.farAddress(),
                    opened.responderCertificate().fingerprint(), opened.cipher(), transmitter, clock,
                    settings.session(), peerListener);
            result.complete(openedPeer(session, true));
        }

        @Override
        public void onFailed(Initiator initiator, RtmfpException failure) {
            result.completeExceptionally(failure);
        }
    }

    /** An introduction that ends with the server's Redirect: the handshake stops there. */
    private static final class RedirectOnly implements Initiator.Listener {
        private final CompletableFuture<List<InetSocketAddress>> result;

        RedirectOnly(CompletableFuture<List<InetSocketAddress>> result) {
            this.result = result;
        }

        @Override
        public void onRedirect(Initiator initiator, InetSocketAddress from, List<InetSocketAddress> addresses) {
            result.complete(List.copyOf(addresses));
            initiator.cancel("the Redirect was all that was asked for");
        }

        @Override
        public void onOpened(Initiator initiator, Initiator.Opened opened) {
            // an RHello from the target cannot reach a handshake that ended at the Redirect
        }

        @Override
        public void onFailed(Initiator initiator, RtmfpException failure) {
            result.completeExceptionally(failure);
        }
    }

    private PeerSession openedPeer(Session session, boolean initiatedHere) {
        sessions.put(session.nearId(), session);
        PeerSession peer = new PeerSession(session.farFingerprint(), session.farAddress(), initiatedHere,
                session.nearId(), session.farId());
        peers.put(session.nearId(), peer);
        session.attach(peer);
        listener.onPeerSession(peer);
        return peer;
    }

    // ---------------------------------------------------------------- the server session

    private final class ServerListener implements SessionListener {
        @Override
        public boolean onFlowOpened(Session session, RecvFlow flow) {
            return startsWith(flow.metadata(), NETCONNECTION_METADATA, 2) || startsWith(flow.metadata(), GROUP_METADATA, 2);
        }

        @Override
        public void onMessage(Session session, RecvFlow flow, byte[] message) {
            if (startsWith(flow.metadata(), GROUP_METADATA, 2)) {
                onGroupMessage(flow, message);
            } else {
                onTcMessage(flow, message);
            }
        }

        @Override
        public void onForwardedIHello(Session session, ForwardedIHello hello) {
            if (closing == null && responder.onHello(hello.epd(), hello.tag(), hello.replyAddress().address())) {
                listener.onIntroduction(hello.replyAddress().address());
            }
        }

        @Override
        public void onPingReply(Session session, byte[] body) {
            if (body.length != 9 || body[0] != PING_MARK) {
                return;
            }
            PendingPing ping = pings.remove(Unpooled.wrappedBuffer(body).getLong(1));
            if (ping != null) {
                ping.result().complete(Duration.ofNanos(nanoTime.getAsLong() - ping.sentAtNanos()));
            }
        }

        @Override
        public void onClosed(Session session) {
            RtmfpException closed = new RtmfpException(RtmfpException.Reason.CLOSED, "the session with the server closed");
            if (!connectResult.isDone()) {
                connectResult.completeExceptionally(closed);
            }
            failAll(calls.values(), closed);
            calls.clear();
            for (PendingPing ping : pings.values()) {
                ping.result().completeExceptionally(closed);
            }
            pings.clear();
            listener.onServerClosed();
        }
    }

    private void onTcMessage(RecvFlow flow, byte[] message) {
        Command command;
        try {
            TcMessage tc = TcMessage.parse(message);
            if (tc.type() != TcMessage.COMMAND_AMF0 && tc.type() != TcMessage.COMMAND_AMF3) {
                return; // user control (Set Keepalive Timers, flow sync) and media: nothing to do here
            }
            command = Command.from(tc);
        } catch (WireException e) {
            return;
        }
        String name = command.name();
        Double transaction = command.transactionId();
        Object info = command.arguments().isEmpty() ? null : command.arguments().get(0);
        boolean answer = "_result".equals(name) || "_error".equals(name);
        if (answer && transaction == 1.0 && !connectResult.isDone()) {
            if ("_result".equals(name)) {
                resultFlowId = flow.flowId();
            }
            connectResult.complete(info instanceof Map<?, ?> map ? stringKeys(map) : new LinkedHashMap<>());
        } else if (answer && calls.containsKey(transaction.longValue())) {
            CompletableFuture<Object> call = calls.remove(transaction.longValue());
            if ("_result".equals(name)) {
                call.complete(info);
            } else {
                Map<String, Object> details = info instanceof Map<?, ?> map ? stringKeys(map) : Map.of();
                call.completeExceptionally(new RtmfpException(RtmfpException.Reason.CALL_FAILED,
                        details.getOrDefault("code", "_error") + ": " + details.getOrDefault("description", ""), details));
            }
        } else if (!answer) {
            listener.onCommand(name, command.arguments());
        }
    }

    private void onGroupMessage(RecvFlow flow, byte[] message) {
        GroupMembership group = groupsByFlow.get(flow.returnAssociation());
        if (group == null || message.length != 1 + PEER_ID_LENGTH || (message[0] & 0xff) != GROUP_MEMBER) {
            return;
        }
        byte[] peerId = Arrays.copyOfRange(message, 1, message.length);
        if (group.add(peerId)) {
            listener.onGroupMember(group, peerId);
        }
    }

    private final class PeerListener implements SessionListener {
        @Override
        public boolean onFlowOpened(Session session, RecvFlow flow) {
            return true;
        }

        @Override
        public void onMessage(Session session, RecvFlow flow, byte[] message) {
            if (session.attachment() instanceof PeerSession peer) {
                listener.onPeerMessage(peer, flow.metadata(), message);
            }
        }

        @Override
        public void onClosed(Session session) {
            peers.remove(session.nearId());
        }
    }

    // ---------------------------------------------------------------- helpers

    private void sendCommand(String name, long transaction, Object... args) {
        control.send(new Command(name, transaction, null, java.util.Arrays.asList(args)).toMessage().toBytes());
        server.flush();
    }

    /** The app name of a connect URL: its path without the leading and trailing slash. */
    static String app(URI url) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        int from = path.startsWith("/") ? 1 : 0;
        int to = path.endsWith("/") && path.length() > from ? path.length() - 1 : path.length();
        return path.substring(from, Math.max(from, to));
    }

    /** {@code ip:port}, or {@code [v6]:port} without a zone, as setPeerInfo wants them (RFC 7425 §5.3.3). */
    static String presentation(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix, int length) {
        return bytes.length >= length && Arrays.equals(bytes, 0, length, prefix, 0, length);
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static <T> void failAll(Iterable<CompletableFuture<T>> futures, Throwable failure) {
        for (CompletableFuture<T> future : futures) {
            future.completeExceptionally(failure);
        }
    }

    private <T> CompletableFuture<T> requireControl() {
        if (closing != null) {
            return closedFuture();
        }
        return control != null && server.isOpen() ? null : notOpen();
    }

    /** Completes the leaves whose FIN was acknowledged, and fails them all once the server session is gone. */
    private void checkLeaving() {
        if (leaving.isEmpty()) {
            return;
        }
        boolean open = server != null && server.isOpen() && closing == null;
        for (java.util.Iterator<Leaving> it = leaving.iterator(); it.hasNext(); ) {
            Leaving l = it.next();
            if (!open) {
                it.remove();
                l.done().completeExceptionally(new RtmfpException(RtmfpException.Reason.CLOSED,
                        "the session with the server closed before the leave was acknowledged"));
            } else if (l.flow().isDone()) {
                it.remove();
                l.done().complete(null);
            }
        }
    }

    private static <T> CompletableFuture<T> notOpen() {
        return CompletableFuture.failedFuture(new RtmfpException(RtmfpException.Reason.CLOSED,
                "no open session with the server (connect first)"));
    }

    private static <T> CompletableFuture<T> closedFuture() {
        return CompletableFuture.failedFuture(new RtmfpException(RtmfpException.Reason.CLOSED, "the client is closed"));
    }

    /** The server rejected the NetConnection flow (this end never closes it) before answering connect. */
    private void checkRefused() {
        if (control != null && control.isDone() && !connectResult.isDone() && server.isOpen()) {
            connectResult.completeExceptionally(new RtmfpException(RtmfpException.Reason.REJECTED,
                    "the server refused the NetConnection flow without a readable answer to connect"));
        }
    }

    private void checkClosed() {
        if (closing == null || closing.isDone()) {
            return;
        }
        boolean waiting = false;
        for (Session session : sessions.values()) {
            waiting |= session.state() == Session.State.NEAR_CLOSE;
        }
        if (!waiting || clock.nowMillis() >= closeDeadline) {
            closing.complete(null);
        }
    }
}
