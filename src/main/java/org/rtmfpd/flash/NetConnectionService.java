package org.rtmfpd.flash;

import org.rtmfpd.rendezvous.GroupId;
import org.rtmfpd.rendezvous.PeerId;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rtmfpd.handshake.IntroductionRequest;
import org.rtmfpd.handshake.ServerApplication;
import org.rtmfpd.handshake.StartupSender;
import org.rtmfpd.log.LogLimiter;
import org.rtmfpd.log.LogSafe;
import org.rtmfpd.log.RemoteLog;
import org.rtmfpd.rendezvous.DeveloperKey;
import org.rtmfpd.rendezvous.DeveloperKeyStore;
import org.rtmfpd.rendezvous.Introducer;
import org.rtmfpd.rendezvous.Outbox;
import org.rtmfpd.rendezvous.Rendezvous;
import org.rtmfpd.wire.PeerAddress;
import org.rtmfpd.session.Clock;
import org.rtmfpd.session.RecvFlow;
import org.rtmfpd.session.SendFlow;
import org.rtmfpd.session.Session;
import org.rtmfpd.wire.ForwardedIHello;
import org.rtmfpd.wire.Redirect;
import org.rtmfpd.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's Flash layer (RFC 7425 §5): turns the messages of each client's NetConnection flow into
 * developer-key checks, registrations and replies ({@code connect}, {@code setPeerInfo},
 * {@code createStream}, …), and introduction requests into a Redirect and a Forwarded IHello
 * (RFC 7016 §3.5.1.4–§3.5.1.6), consulting the rendezvous registry. Runs on the protocol thread.
 */
public final class NetConnectionService implements ServerApplication, Outbox<Session> {
    private static final Logger LOG = LoggerFactory.getLogger(NetConnectionService.class);
    /** A rejected client is closed once its {@code _error} is acknowledged, or after this long. */
    static final long REJECT_LINGER_MILLIS = 2_000;
    /**
     * A session that has not connected this long after its handshake is closed: Flash sends
     * {@code connect} in its first packet after the handshake, so a session without one holds memory for
     * nothing (an abandoned or hostile handshake).
     */
    public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 15_000;

    private final DeveloperKeyStore keys;
    private final Rendezvous<Session> rendezvous;
    private final NetGroupService groups;
    private final boolean openIntroductions;
    private final KeepaliveTimers keepalive;
    private final Clock clock;
    private final Counter counter;
    private final List<Rejected> rejected = new ArrayList<>();
    private final long connectTimeoutMillis;
    /** Sessions still waiting for their connect, oldest first (all have the same timeout). */
    private final java.util.ArrayDeque<Pending> awaitingConnect = new java.util.ArrayDeque<>();
    /** INFO lines a client causes (connected, rejected), rate-limited by its address. */
    private final RemoteLog remoteLog;
    private StartupSender startup;

    /** Where this service counts what it did and refused. */
    public interface Counter {
        void count(String event);

        void refuse(String reason);

        /**
         * {@code from} was introduced to the peer {@code targetPeerId}, under {@code developerKey} (null for
         * an initiator without a session), for the P2P outcome of introductions.
         */
        default void introduced(java.net.InetSocketAddress from, byte[] targetPeerId, String developerKey) {
        }
    }

    /**
     * @param openIntroductions also introduce initiators that hold no session with this server (as
     *     rtmfp-cpp's {@code fcclient -X} asks), to any registered target with a free peer-cap slot
     */
    public NetConnectionService(DeveloperKeyStore keys, Rendezvous<Session> rendezvous, boolean openIntroductions,
                                KeepaliveTimers keepalive, Clock clock, Counter counter) {
        this(keys, rendezvous, openIntroductions, keepalive, DEFAULT_CONNECT_TIMEOUT_MILLIS, clock, counter);
    }

    /**
     * @param connectTimeoutMillis a session that has not connected this long after its handshake is closed
     */
    public NetConnectionService(DeveloperKeyStore keys, Rendezvous<Session> rendezvous, boolean openIntroductions,
                                KeepaliveTimers keepalive, long connectTimeoutMillis, Clock clock, Counter counter) {
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.keys = keys;
        this.rendezvous = rendezvous;
        this.openIntroductions = openIntroductions;
        this.groups = new NetGroupService(rendezvous, counter);
        this.keepalive = keepalive;
        this.clock = clock;
        this.counter = counter;
        rendezvous.outbox(this);
        this.remoteLog = new RemoteLog(LOG, new LogLimiter(clock::nowMillis), () -> counter.count("log_line_suppressed"));
    }

    /** Set once, before the first datagram: how Redirects leave the server. */
    public void startupSender(StartupSender sender) {
        this.startup = sender;
    }

    private static Client client(Session session) {
        Object attachment = session.attachment();
        if (attachment == null) {
            attachment = new Client(PeerId.sharing(session.farFingerprintShared()));
            session.attach(attachment);
        }
        return (Client) attachment;
    }

    /**
     * Parses the flow's metadata, once: a flow whose metadata does not parse, or that the server does
     * not serve, is refused here (a Flow Exception) and never seen again.
     */
    @Override
    public boolean onFlowOpened(Session session, RecvFlow flow) {
        try {
            return openFlow(session, flow);
        } catch (RuntimeException e) {
            failed(session, "a flow opening", e);
            return false;
        }
    }

    private boolean openFlow(Session session, RecvFlow flow) {
        Client client = client(session);
        FlowMetadata metadata;
        try {
            metadata = FlowMetadata.parse(flow.metadata());
        } catch (WireException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("session {}: flow {} refused: {}", id(session), flow.flowId(), LogSafe.message(e));
            }
            return false;
        }
        if (metadata instanceof FlowMetadata.Tc tc && tc.streamId() == 0) {
            if (client.netConnectionFlow >= 0) {
                return false;
            }
            client.netConnectionFlow = flow.flowId();
            return true;
        }
        if (client.developerKey == null) {
            // Only the NetConnection flow opens before connect succeeds: a stream or NetGroup flow
            // would let a client that has no key make the server hold its fragments.
            return false;
        }
        if (metadata instanceof FlowMetadata.Other) {
            LOG.debug("session {}: flow {} with unknown metadata refused", id(session), flow.flowId());
            return false;
        }
        client.flows().put(flow.flowId(), metadata);
        return true;
    }

    @Override
    public void onMessage(Session session, RecvFlow flow, byte[] message) {
        Client client = client(session);
        try {
            if (flow.flowId() == client.netConnectionFlow) {
                onNetConnectionMessage(session, client, message);
            } else if (client.flow(flow.flowId()) instanceof FlowMetadata.Gc gc) {
                groups.onMessage(session, client, flow.flowId(), gc, message);
            }
        } catch (RuntimeException e) {
            failed(session, "a message", e);
        }
        session.flush();
    }

    /**
     * A fault while handling one message (or flow, or request) stays with it. The handlers change the
     * client's state after the calls that may fail (decoding, the rendezvous), so a message that fails
     * leaves the client as it was and is simply not served. Counted as {@code message_failed}; logged at
     * debug level with the place it was thrown, without the stack trace, whose message could carry
     * remote text unescaped.
     */
    private void failed(Session session, String what, RuntimeException e) {
        counter.count("message_failed");
        if (LOG.isDebugEnabled()) {
            StackTraceElement[] trace = e.getStackTrace();
            LOG.debug("session {}: {} failed: {}{}", session == null ? "-" : id(session), what, LogSafe.message(e),
                    trace.length == 0 ? "" : " at " + trace[0]);
        }
    }

    private void onNetConnectionMessage(Session session, Client client, byte[] message) {
        try {
            TcMessage tc = TcMessage.parse(message);
            if (tc.type() == TcMessage.COMMAND_AMF0 || tc.type() == TcMessage.COMMAND_AMF3) {
                onCommand(session, client, Command.from(tc));
            } else if (tc.type() == TcMessage.USER_CONTROL && client.developerKey != null) {
                onUserControl(session, client, UserControlEvent.from(tc));
            }
        } catch (WireException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("session {}: undecodable message on the NetConnection flow: {}", id(session),
                        LogSafe.message(e));
            }
        }
    }

    private void onCommand(Session session, Client client, Command command) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("session {}: {} (transaction {})", id(session), LogSafe.text(command.name()),
                    command.transactionId());
        }
        if (client.developerKey == null && !command.name().equals("connect")) {
            return;
        }
        switch (command.name()) {
            case "connect" -> onConnect(session, client, command);
            case PeerInfoAddresses.COMMAND -> {
                var reported = sameAsObserved(PeerInfoAddresses.of(command), session.farAddress());
                rendezvous.peerInfo(client.peerId, session, reported);
                LOG.debug("session {}: setPeerInfo {}", id(session), reported);
                reply(session, client, keepalive.toEvent().toMessage());
            }
            case "createStream" -> reply(session, client,
                    CommandReplies.createStreamResult(command.transactionId(), ++client.streams).toMessage());
            case "deleteStream", "closeStream", "initStream" -> {
            }
            default -> {
                if (command.transactionId() > 0) {
                    reply(session, client, CommandReplies.callFailed(command).toMessage());
                }
            }
        }
    }

    /** As Cirrus did: a buffer length set for a stream is answered with StreamBegin for it. */
    private void onUserControl(Session session, Client client, UserControlEvent event) {
        if (event.eventType() == UserControlEvent.SET_BUFFER_LENGTH) {
            long stream = SetBufferLength.from(event).streamId();
            if (stream > 0) {
                reply(session, client, UserControlEvent.streamBegin(stream).toMessage());
            }
        }
    }

    private void onConnect(Session session, Client client, Command connect) {
        if (client.developerKey != null || client.rejected || client.connecting) {
            return;
        }
        String key = developerKeyOf(connect);
        if (key == null) {
            reject(session, client, connect,
                    "No developer key in the connect URL: connect to rtmfp://host/DEVELOPER-KEY.",
                    "no developer key in the connect URL");
            return;
        }
        Optional<DeveloperKey> known = keys.find(key);
        if (known.isEmpty()) {
            rejectUnknown(session, client, connect, key);
            return;
        }
        DeveloperKey developerKey = known.get();
        java.util.concurrent.CompletionStage<Rendezvous.Admission> answer;
        try {
            client.connecting = true;
            answer = rendezvous.connected(developerKey.key(), client.peerId, session.farAddress(), session);
        } catch (RuntimeException e) {
            client.connecting = false; // a connect sent again is served
            throw e;
        }
        answer.whenComplete((admission, failure) -> {
            client.connecting = false;
            try {
                admitted(session, client, connect, developerKey, admission, failure);
            } catch (RuntimeException e) {
                failed(session, "a connect", e);
            }
            session.flush();
        });
    }

    /**
     * The rendezvous's answer to a connect: registered (reply {@code _result}), or rejected. A session
     * that closed while a cluster's answer was on its way is unregistered at once.
     */
    private void admitted(Session session, Client client, Command connect, DeveloperKey known,
            Rendezvous.Admission admission, Throwable failure) {
        if (failure != null) {
            reject(session, client, connect, "The server cannot admit clients at the moment; try again later.",
                    "the rendezvous failed: " + LogSafe.message(failure));
            return;
        }
        if (!session.isOpen()) {
            if (admission.admitted()) {
                rendezvous.closed(client.peerId, session);
            }
            return;
        }
        if (admission == Rendezvous.Admission.UNKNOWN_KEY) {
            rejectUnknown(session, client, connect, known.key()); // revoked by a reload a moment ago
            return;
        }
        if (!admission.admitted()) {
            int limit = known.maxSessionsOrUnlimited();
            reject(session, client, connect, "This developer key has reached its max-sessions limit of " + limit + ".",
                    "developer key " + known.logName() + " has reached its max-sessions limit of " + limit);
            return;
        }
        // The store's string (equal, keys are case-sensitive), not this command's copy of it. Registered: from
        // here on, the close of this session unregisters it.
        client.developerKey = known.key();
        counter.count("connect");
        remoteLog.info(session.farAddress(), "session {}: connected with developer key {} as peer {}",
                LogSafe.lazy(() -> id(session)), LogSafe.lazy(known::logName), client.peerId);
        reply(session, client, CommandReplies.connectSuccess(connect, client.peerId).toMessage());
    }

    /** Telling a client its own key back is harmless; the log names it by its hash only. */
    private void rejectUnknown(Session session, Client client, Command connect, String key) {
        reject(session, client, connect, "Developer key '" + key + "' is not known to this server.",
                "unknown developer key " + DeveloperKey.logNameOf(key));
    }

    /**
     * @param toClient the description of the {@code _error}
     * @param toLog    the reason for the log, which never holds a developer key
     */
    private void reject(Session session, Client client, Command connect, String toClient, String toLog) {
        TcMessage error = CommandReplies.connectRejected(connect.transactionId(), toClient).toMessage();
        client.rejected = true;
        reply(session, client, error);
        client.control.close();
        rejected.add(new Rejected(session, client.control, clock.nowMillis() + REJECT_LINGER_MILLIS));
        counter.refuse("connect_rejected");
        remoteLog.info(session.farAddress(), "session {}: connect rejected (event=connect_rejected): {}", id(session),
                toLog);
    }

    /** The first path segment of the connect URL ({@code tcUrl}, or {@code app}): the developer key. */
    static String developerKeyOf(Command connect) {
        if (connect.commandObject() instanceof Map<?, ?> properties) {
            if (properties.get("tcUrl") instanceof String url) {
                String plain = plainUrlKey(url);
                if (plain != null) {
                    return plain;
                }
                try {
                    String key = uriKey(url);
                    if (key != null) {
                        return key;
                    }
                } catch (IllegalArgumentException e) {
                    LOG.debug("connect with an unparsable tcUrl ({} chars), trying app", url.length());
                }
            }
            if (properties.get("app") instanceof String app) {
                String first = app.split("/")[0];
                return first.isEmpty() ? null : first;
            }
        }
        return null;
    }

    /** The first non-empty segment of the URL's raw path, or null; throws if {@link URI} cannot parse it. */
    static String uriKey(String url) {
        String path = URI.create(url.trim()).getRawPath();
        if (path != null) {
            for (String segment : path.split("/")) {
                if (!segment.isEmpty()) {
                    return segment;
                }
            }
        }
        return null;
    }

    /**
     * The first path segment of a URL written in the plain characters every Flash connect URL uses
     * ({@code rtmfp://host[:port]/KEY[/...]}: letters, digits, {@code . - _ ~ : /}), which
     * {@link URI} would parse to the same segment, without making a URI; null for anything else, which
     * then goes through {@link URI} as before.
     */
    static String plainUrlKey(String url) {
        int sep = url.indexOf("://");
        if (sep <= 0 || !isLetter(url.charAt(0))) {
            return null;
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            boolean plain = isLetter(c) || c >= '0' && c <= '9' || c == '.' || c == '-'
                    || i >= sep && (c == '_' || c == '~' || c == ':' || c == '/');
            if (!plain) {
                return null;
            }
        }
        int path = url.indexOf('/', sep + 3);
        if (path < 0 || path == sep + 3) {
            return null;
        }
        int start = path;
        while (start < url.length() && url.charAt(start) == '/') {
            start++;
        }
        int end = url.indexOf('/', start);
        end = end < 0 ? url.length() : end;
        return start < end ? url.substring(start, end) : null;
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private void reply(Session session, Client client, TcMessage message) {
        if (client.control == null) {
            client.control = session.openFlow(FlowMetadata.NET_CONNECTION.toBytes(), client.netConnectionFlow);
        }
        client.control.send(message.toBytes());
    }

    /** The server's flow that carried the connect reply, which NetGroup flows associate with. */
    static long controlFlowId(Client client) {
        return client.control == null ? -1 : client.control.flowId();
    }

    @Override
    public void onFlowFinished(Session session, RecvFlow flow) {
        Client client = client(session);
        try {
            if (client.flow(flow.flowId()) instanceof FlowMetadata.Gc) {
                groups.onFlowFinished(session, client, flow.flowId());
            }
            if (client.hasFlows()) {
                client.flows().remove(flow.flowId());
            }
        } catch (RuntimeException e) {
            failed(session, "a flow end", e);
        }
        session.flush();
    }

    @Override
    public void onClosed(Session session) {
        Client client = client(session);
        if (client.developerKey != null) {
            try {
                rendezvous.closed(client.peerId, session);
                LOG.debug("peer {} left", client.peerId);
            } catch (RuntimeException e) {
                failed(session, "a close", e);
            }
        }
    }

    @Override
    public void onAddressChanged(Session session) {
        Client client = client(session);
        if (client.developerKey != null) {
            try {
                rendezvous.addressChanged(client.peerId, session, session.farAddress());
            } catch (RuntimeException e) {
                failed(session, "an address change", e);
            }
        }
    }

    @Override
    public void onIntroductionRequest(IntroductionRequest request) {
        try {
            introduceOrRefuse(request);
        } catch (RuntimeException e) {
            failed(request.initiatorSession(), "an introduction request", e);
        }
    }

    /**
     * The dispatcher found the initiator's session by the IHello's source address; the rendezvous takes
     * it by peer ID and session, and refuses it (INITIATOR_NOT_REGISTERED) unless this session is the one
     * registered for its peer ID: one that has not connected, was rejected, or was replaced by a newer
     * session with the same peer ID is not.
     */
    private void introduceOrRefuse(IntroductionRequest request) {
        PeerId target = PeerId.of(request.targetPeerId());
        Session session = request.initiatorSession();
        if (session == null) {
            introduceUnconnected(request, target);
            return;
        }
        rendezvous.introduce(client(session).peerId, session, request.from(), target, request.tag(), request.epd())
                .whenComplete((outcome, failure) -> {
                    try {
                        if (failure != null) {
                            refuse(request, "RENDEZVOUS_FAILED");
                        } else if (outcome instanceof Introducer.Refused<Session> refused) {
                            refuse(request, refused.reason().name());
                        } else {
                            var introduce = (Introducer.Introduce<Session>) outcome;
                            introduce(request, introduce.redirect());
                            rendezvous.forward(introduce.target(),
                                    new ForwardedIHello(request.epd(), introduce.forward(), request.tag()));
                        }
                    } catch (RuntimeException e) {
                        failed(session, "an introduction", e);
                    }
                });
    }

    /**
     * An IHello for a peer from an address that holds no session: introduced only when the operator
     * allows it, to a registered target that still has a free peer-cap slot (the slot is not taken,
     * as the initiator is not known to leave).
     */
    private void introduceUnconnected(IntroductionRequest request, PeerId target) {
        if (!openIntroductions) {
            refuse(request, "INITIATOR_NOT_CONNECTED");
            return;
        }
        rendezvous.openIntroduction(target).whenComplete((found, failure) -> {
            try {
                if (failure != null) {
                    refuse(request, "RENDEZVOUS_FAILED");
                } else if (found.isEmpty()) {
                    refuse(request, "OPEN_TARGET_UNAVAILABLE");
                } else {
                    PeerAddress from = new PeerAddress(request.from(), PeerAddress.Origin.OBSERVED);
                    introduce(request, Introducer.redirectList(found.get()));
                    rendezvous.forward(found.get(), new ForwardedIHello(request.epd(), from, request.tag()));
                }
            } catch (RuntimeException e) {
                failed(null, "an open introduction", e);
            }
        });
    }

    /** Sends the Redirect of an allowed introduction and counts it; the Forwarded IHello goes separately. */
    private void introduce(IntroductionRequest request, List<PeerAddress> redirect) {
        startup.sendStartup(request.from(), 0, new Redirect(request.tag(), redirect));
        counter.count("introduction");
        Session initiator = request.initiatorSession();
        counter.introduced(request.from(), request.targetPeerId(), initiator == null ? null : client(initiator).developerKey);
        if (LOG.isDebugEnabled()) {
            LOG.debug("introduced {} to {}", request.from(), HexFormat.of().formatHex(request.targetPeerId()));
        }
    }

    private void refuse(IntroductionRequest request, String reason) {
        counter.refuse("introduction_" + reason.toLowerCase(java.util.Locale.ROOT));
        if (LOG.isDebugEnabled()) {
            LOG.debug("introduction from {} to {} refused: {}", request.from(),
                    HexFormat.of().formatHex(request.targetPeerId()), reason);
        }
    }

    /** Closes rejected clients once their {@code _error} was delivered (or after a short linger). */
    public void tick() {
        long now = clock.nowMillis();
        Pending head;
        while ((head = awaitingConnect.peek()) != null && (now >= head.deadline || !head.session.isOpen())) {
            awaitingConnect.poll();
            Client client = client(head.session);
            if (head.session.isOpen() && client.developerKey == null && !client.rejected) {
                counter.refuse("connect_timeout");
                head.session.close();
            }
        }
        Iterator<Rejected> it = rejected.iterator();
        while (it.hasNext()) {
            Rejected r = it.next();
            if (r.flow.isDone() || now >= r.deadline || !r.session.isOpen()) {
                r.session.close();
                it.remove();
            }
        }
    }

    @Override
    public void forward(Session target, ForwardedIHello forward) {
        if (target.isOpen()) {
            target.sendChunk(forward);
            target.flush();
        }
    }

    @Override
    public void refer(Session recipient, GroupId group, PeerId member) {
        groups.refer(recipient, group, member);
    }

    @Override
    public void evict(Session replaced) {
        replaced.close();
    }

    @Override
    public void onSessionOpened(Session session) {
        awaitingConnect.add(new Pending(session, clock.nowMillis() + connectTimeoutMillis));
    }

    private record Pending(Session session, long deadline) {
    }

    /**
     * The reported addresses, with the one equal to the session's own address (a client with a public
     * address reports the one the server sees) replaced by that instance: the registry then holds one
     * copy of it, not two (96 bytes a session).
     */
    private static List<InetSocketAddress> sameAsObserved(List<InetSocketAddress> reported, InetSocketAddress observed) {
        if (!reported.contains(observed)) {
            return reported;
        }
        List<InetSocketAddress> out = new ArrayList<>(reported.size());
        for (InetSocketAddress a : reported) {
            out.add(a.equals(observed) ? observed : a);
        }
        return out;
    }

    private static String id(Session session) {
        return Integer.toHexString(session.nearId());
    }

    /** What the Flash layer knows of one client session. */
    static final class Client {
        final PeerId peerId;
        String developerKey;
        /** A connect is with the rendezvous, whose answer has not come yet. */
        boolean connecting;
        boolean rejected;
        long netConnectionFlow = -1;
        SendFlow control;
        long streams;
        /**
         * The client's accepted flows other than its NetConnection flow, with their metadata parsed at
         * open; made at the first one: most clients open no other flow.
         */
        private Map<Long, FlowMetadata> flows;
        /** NetGroup flows and reply flows, made at the first join: most clients never join a group. */
        private Map<Long, GroupId> groupFlows;
        private Map<GroupId, SendFlow> groupReplies;

        Client(PeerId peerId) {
            this.peerId = peerId;
        }

        boolean hasFlows() {
            return flows != null;
        }

        Map<Long, FlowMetadata> flows() {
            if (flows == null) {
                flows = new java.util.HashMap<>(4);
            }
            return flows;
        }

        /** The parsed metadata of an accepted flow that is still open, or null. */
        FlowMetadata flow(long flowId) {
            return flows == null ? null : flows.get(flowId);
        }

        boolean hasGroups() {
            return groupFlows != null;
        }

        /** The client's GC flows by flow ID, and the group each joined. */
        Map<Long, GroupId> groupFlows() {
            if (groupFlows == null) {
                groupFlows = new java.util.HashMap<>(4);
                groupReplies = new java.util.HashMap<>(4);
            }
            return groupFlows;
        }

        /** The server's flow answering each group the client joined. */
        Map<GroupId, SendFlow> groupReplies() {
            groupFlows();
            return groupReplies;
        }
    }

    private record Rejected(Session session, SendFlow flow, long deadline) {
    }
}
