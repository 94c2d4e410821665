package org.rtmfpd.server;

import org.rtmfpd.config.AdmissionLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.CertificateOptions;
import org.rtmfpd.crypto.CookieJar;
import org.rtmfpd.crypto.EndpointDiscriminator;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.handshake.HashedRateLimit;
import org.rtmfpd.handshake.InitiatorKeying;
import org.rtmfpd.handshake.IntroductionRequest;
import org.rtmfpd.handshake.KeyedRateLimit;
import org.rtmfpd.handshake.KeyingRefusal;
import org.rtmfpd.handshake.ServerApplication;
import org.rtmfpd.handshake.StartupSender;
import org.rtmfpd.handshake.ResponderKeying;
import org.rtmfpd.session.Clock;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.session.RecvFlow;
import org.rtmfpd.session.Session;
import org.rtmfpd.session.SessionListener;
import org.rtmfpd.session.SessionSettings;
import org.rtmfpd.session.TimerWheel;
import org.rtmfpd.session.Transmitter;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.CookieChange;
import org.rtmfpd.handshake.Redirector;
import org.rtmfpd.wire.ForwardedIHello;
import org.rtmfpd.wire.IHello;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.Limits;
import org.rtmfpd.wire.Packet;
import org.rtmfpd.wire.RHello;
import org.rtmfpd.wire.PeerAddress;
import org.rtmfpd.wire.Redirect;
import org.rtmfpd.wire.RIKeying;
import org.rtmfpd.wire.SourceAddress;
import org.rtmfpd.wire.WireException;
import org.rtmfpd.log.LogLimiter;
import org.rtmfpd.log.LogSafe;
import org.rtmfpd.log.RemoteLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responder's protocol core: turns each received datagram into a startup exchange (IHello →
 * RHello or an introduction, IIKeying → RIKeying and a new session, RFC 7016 §3.5.1) or into input for
 * the session it is addressed to, and runs the sessions' timers. All methods run on one thread; only the
 * Diffie-Hellman work goes to the worker executor, whose results come back through the loop executor.
 */
public final class Dispatcher implements StartupSender {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** Smallest datagram worth decrypting: a session ID and one cipher block (RFC 7425 §4.1). */
    private static final int MIN_DATAGRAM = Datagrams.SSID_LENGTH + PacketCipher.BLOCK;
    private static final int STARTUP_FLAGS = Packet.TS | Packet.MODE_STARTUP;
    /**
     * The sessions' timer wheel: slots of 64 ms, 2,048 of them, so that one turn (131 s) outlasts the
     * longest idle timeout and keepalive (120 s by default, 45 s with the server's settings) and an idle
     * session is visited only when its own deadline comes. {@link #tick} runs every 100 ms; a timer fires
     * on the first tick at or after its deadline, as before.
     */
    static final long TIMER_RESOLUTION_MILLIS = 64;
    static final int TIMER_SLOTS = 2048;
    /**
     * An RHello more than this many times the size of the IHello it answers (QUIC's bound on what a
     * server sends to an unvalidated address, RFC 9000 §8) is sent only within the small-IHello rates
     * below: a spoofed IHello must not buy a bigger answer at volume. Flash's IHellos carry the whole
     * URL and stay under the bound; librtmfp's carry only the path, so a short key can fall over it, and
     * Stratus answered every IHello: those are answered, at a bounded rate.
     */
    static final int AMPLIFICATION_LIMIT = 3;
    /** Answers to over-amplifying IHellos per source IP: a burst of this many, then this many a second. */
    static final int SMALL_IHELLO_BURST_PER_SOURCE = 4;
    static final double SMALL_IHELLOS_PER_SECOND_PER_SOURCE = 1;
    /** Answers to over-amplifying IHellos from all sources together. */
    static final int SMALL_IHELLO_BURST = 256;
    static final double SMALL_IHELLOS_PER_SECOND = 128;
    /** Source IPs whose small-IHello rate is remembered; the least recent are forgotten first. */
    static final int SMALL_IHELLO_MEMORY = 16_384;
    /**
     * Introductions of one initiator address to one target: a burst of this many, then one a second.
     * Flash repeats an unanswered IHello after 1 s, then 1.5 s more each time (RFC 7016 §3.5.1.1.1).
     */
    static final int PAIR_INTRODUCTION_BURST = 3;
    static final double PAIR_INTRODUCTIONS_PER_SECOND = 1;
    /** Forwarded IHellos into one target's session: a burst of this many, then this many a second. */
    static final int TARGET_INTRODUCTION_BURST = 32;
    static final double TARGET_INTRODUCTIONS_PER_SECOND = 16;
    /** Slots for pairs' and targets' introduction rates (a power of two); a key takes over its slot's bucket. */
    static final int INTRODUCTION_RATE_MEMORY = 16_384;
    /** Sources whose IIKeying rate is remembered; the least recent are forgotten first. */
    static final int IIKEYING_RATE_MEMORY = 16_384;
    /**
     * Past the keying queue's limit, sources that hold no session yet still find this share of it more
     * (at least one place), so that under an IIKeying flood from sources that do, a new client gets in.
     */
    public static final int NEW_SOURCE_RESERVE_DIVISOR = 4;
    /** The window over which the IIKeying rate is counted for keying on the protocol thread. */
    static final long KEYING_WINDOW_MILLIS = 100;
    /** At most one error log line with its stack trace this often; the others are counted only. */
    static final long ERROR_LOG_INTERVAL_MILLIS = 60_000;

    private final Certificate certificate;
    private final byte[] fingerprint;
    private final CookieJar cookies;
    private final ResponderKeying keying;
    private final int keyingQueueLimit;
    private final SessionSettings settings;
    private final Transmitter transmitter;
    private final Clock clock;
    private final Executor keyingWorkers;
    private final HashedRateLimit pairIntroductions;
    private final HashedRateLimit targetIntroductions;
    private final KeyedRateLimit<java.net.InetAddress> smallIHellosBySource;
    private final AdmissionLimits admission;
    private final KeyedRateLimit<InetAddress> iikeyingsBySource;
    /** Sessions and handshakes in progress per source (see {@link SourceAddress}). */
    private final Map<InetAddress, Integer> sessionsBySource = new HashMap<>();
    private final Map<InetAddress, Integer> handshakesBySource = new HashMap<>();
    private long lastFullLogAt = Long.MIN_VALUE;
    private final KeyedRateLimit<Boolean> smallIHellos;
    private long lastErrorLogAt = Long.MIN_VALUE;
    /** Session lines are caused by remote parties: each source gets a bounded share of the log. */
    private final RemoteLog remoteLog;
    /** Table sizes as of the last tick, for threads other than the protocol thread (metrics). */
    private volatile int publishedSessions;
    private volatile int publishedKeying;
    private final Executor loop;
    private final ServerApplication application;
    private final ServerMetrics metrics;
    private final SecureRandom random = new SecureRandom();
    /** Every session sends through this, so that the packet and byte counters see session traffic. */
    private final Transmitter sessionTransmitter = this::send;

    private final SessionTable sessions = new SessionTable();
    private final AddressTable byAddress = new AddressTable();
    private final Map<Integer, Handshake> handshakeOf = new HashMap<>();
    private final Map<InitiatorKey, Handshake> handshakes = new HashMap<>();
    private final Set<InitiatorKey> keyingInProgress = new HashSet<>();
    /** Every session, keyed by the time its timers next have work: {@link #tick} visits only those due. */
    private final TimerWheel<Session> timers;
    /** Sessions that closed during the current {@link #tick}, forgotten at its end. */
    private final List<Session> closedInTick = new ArrayList<>();
    private final java.util.function.Consumer<Session> runTimers = this::runTimers;
    /** IIKeyings keyed inline at most per window; 0: never (see {@link #keyInlineBelow}). */
    private int inlineKeyingPerWindow;
    private long keyingWindowStart = Long.MIN_VALUE / 2;
    private int keyingThisWindow;
    private int keyingLastWindow;
    /** The protocol thread's time spent keying inline, at most, per window. */
    private long inlineBudgetNanos;
    private long inlineNanosThisWindow;
    private long inlineNanosLastWindow;
    private volatile Redirector redirector = Redirector.NONE;
    /** One listener serves every session: it keeps no state of its own. */
    private final Indexing indexing;

    public Dispatcher(Certificate certificate, CookieJar cookies, ResponderKeying keying, int keyingQueueLimit,
                      SessionSettings settings, Transmitter transmitter, Clock clock, Executor keyingWorkers,
                      Executor loop, ServerApplication application, ServerMetrics metrics) {
        this(certificate, cookies, keying, keyingQueueLimit, AdmissionLimits.DEFAULT, settings, transmitter, clock,
                keyingWorkers, loop, application, metrics);
    }

    public Dispatcher(Certificate certificate, CookieJar cookies, ResponderKeying keying, int keyingQueueLimit,
                      AdmissionLimits admission, SessionSettings settings, Transmitter transmitter, Clock clock,
                      Executor keyingWorkers, Executor loop, ServerApplication application, ServerMetrics metrics) {
        this.admission = admission;
        this.iikeyingsBySource = new KeyedRateLimit<>(2 * admission.iikeyingsPerSecondPerSource(),
                admission.iikeyingsPerSecondPerSource(), IIKEYING_RATE_MEMORY, clock);
        this.certificate = certificate;
        this.fingerprint = certificate.fingerprint();
        this.cookies = cookies;
        this.keying = keying;
        this.keyingQueueLimit = keyingQueueLimit;
        this.settings = settings;
        this.transmitter = transmitter;
        this.clock = clock;
        this.keyingWorkers = keyingWorkers;
        this.loop = loop;
        this.application = application;
        this.metrics = metrics;
        this.indexing = new Indexing(application);
        this.remoteLog = new RemoteLog(LOG, new LogLimiter(clock::nowMillis), () -> metrics.count("log_line_suppressed"));
        this.pairIntroductions = new HashedRateLimit(PAIR_INTRODUCTION_BURST, PAIR_INTRODUCTIONS_PER_SECOND,
                INTRODUCTION_RATE_MEMORY, clock, random.nextLong());
        this.targetIntroductions = new HashedRateLimit(TARGET_INTRODUCTION_BURST, TARGET_INTRODUCTIONS_PER_SECOND,
                INTRODUCTION_RATE_MEMORY, clock, random.nextLong());
        this.smallIHellosBySource = new KeyedRateLimit<>(SMALL_IHELLO_BURST_PER_SOURCE,
                SMALL_IHELLOS_PER_SECOND_PER_SOURCE, SMALL_IHELLO_MEMORY, clock);
        this.smallIHellos = new KeyedRateLimit<>(SMALL_IHELLO_BURST, SMALL_IHELLOS_PER_SECOND, 1, clock);
        this.timers = new TimerWheel<>(TIMER_RESOLUTION_MILLIS, TIMER_SLOTS, clock.nowMillis());
    }

    /** SHA-256 of this server's certificate. */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** Open sessions; call on the protocol thread (see {@link #publishedSessionCount()} for others). */
    public int sessionCount() {
        return sessions.size();
    }

    /** IIKeyings whose Diffie-Hellman work is queued or running; protocol thread only. */
    public int keyingQueueLength() {
        return keyingInProgress.size();
    }

    /** {@link #sessionCount()} as of the last tick; safe to read from any thread. */
    public int publishedSessionCount() {
        return publishedSessions;
    }

    /** {@link #keyingQueueLength()} as of the last tick; safe to read from any thread. */
    public int publishedKeyingQueueLength() {
        return publishedKeying;
    }

    /** Whether an open session's far end is at {@code address}. */
    public boolean hasSessionAt(InetSocketAddress address) {
        return byAddress.containsKey(address);
    }

    /** The open session whose far end sends from {@code address}, or null. */
    public Session sessionAt(InetSocketAddress address) {
        return byAddress.get(address);
    }

    /**
     * Handles one received datagram. Returns whether it proved that its sender receives at its address
     * (a session took it, or an IIKeying echoed a cookie made for that address): only such addresses
     * are worth remembering a route for. Whatever goes wrong inside is contained to this datagram.
     */
    public boolean onDatagram(InetSocketAddress from, byte[] datagram) {
        try {
            return handle(from, datagram);
        } catch (RuntimeException e) {
            metrics.drop("internal_error");
            logError("a datagram from " + from + " failed", e);
            return false;
        }
    }

    private void logError(String what, RuntimeException e) {
        long now = clock.nowMillis();
        if (lastErrorLogAt == Long.MIN_VALUE || now - lastErrorLogAt >= ERROR_LOG_INTERVAL_MILLIS) {
            lastErrorLogAt = now;
            LOG.error("{} (event=internal_error; logged at most once a minute, all are counted)", what, e);
        }
    }

    private boolean handle(InetSocketAddress from, byte[] datagram) {
        metrics.packetsIn.increment();
        metrics.bytesIn.add(datagram.length);
        if (datagram.length < MIN_DATAGRAM) {
            metrics.drop("short");
            return false;
        }
        if (datagram.length > Limits.MAX_STARTUP_PACKET) {
            metrics.drop("too_long");
            return false;
        }
        int sessionId = Datagrams.sessionId(datagram);
        if (sessionId == 0) {
            return onStartup(from, datagram);
        }
        Session session = sessions.get(sessionId);
        if (session == null) {
            metrics.drop("unknown_session");
            return false;
        }
        Datagrams.Decoded decoded;
        try {
            decoded = Datagrams.decode(datagram, session.cipher());
        } catch (WireException e) {
            metrics.drop("bad_packet");
            LOG.debug("dropped a packet for session {} from {}: {}", Integer.toHexString(sessionId), from,
                    LogSafe.message(e));
            return false;
        }
        boolean taken;
        try {
            taken = session.receive(decoded, from);
        } catch (WireException e) {
            metrics.drop("bad_chunk");
            LOG.debug("session {}: bad chunk from {}: {}", Integer.toHexString(sessionId), from, LogSafe.message(e));
            return false;
        } catch (RuntimeException e) {
            session.abort();
            remove(session);
            throw e;
        }
        if (!taken) {
            metrics.drop("wrong_mode_or_sequence");
        } else if (handshakeOf.containsKey(sessionId)) {
            forgetHandshake(sessionId);
        }
        if (session.isClosed()) {
            remove(session);
        }
        return taken && from.equals(session.farAddress());
    }

    private boolean onStartup(InetSocketAddress from, byte[] datagram) {
        Packet packet;
        try {
            packet = Datagrams.decode(datagram, PacketCipher.DEFAULT).packet();
        } catch (WireException e) {
            metrics.drop("bad_startup_packet");
            return false;
        }
        if (packet.mode() != Packet.MODE_STARTUP) {
            metrics.drop("wrong_mode");
            return false;
        }
        for (Chunk chunk : packet.chunks()) {
            if (chunk instanceof IHello hello) {
                onIHello(from, hello, datagram.length);
                return false;
            }
            if (chunk instanceof IIKeying iikeying) {
                return onIIKeying(from, iikeying);
            }
        }
        return false;
    }

    private void onIHello(InetSocketAddress from, IHello hello, int helloLength) {
        if (hello.tag().length > Limits.MAX_IHELLO_TAG) {
            metrics.drop("ihello_tag_too_long");
            return;
        }
        EndpointDiscriminator epd;
        try {
            epd = EndpointDiscriminator.parse(hello.epd());
        } catch (WireException e) {
            metrics.drop("bad_epd");
            return;
        }
        if (epd.selects(certificate)) {
            List<InetSocketAddress> elsewhere = redirector.elsewhere(sessions.size() >= admission.maxSessions());
            if (!elsewhere.isEmpty()) {
                LOG.debug("IHello from {}: Redirect to {} (this node is full or draining)", from, elsewhere);
                metrics.count("redirected");
                sendStartup(from, 0, new Redirect(hello.tag(), elsewhere.stream()
                        .map(a -> new PeerAddress(a, PeerAddress.Origin.REPORTED)).toList()));
                return;
            }
            byte[] rhello = startupDatagram(0, new RHello(hello.tag(), cookies.make(from), certificate.encoded()));
            if (rhello.length > AMPLIFICATION_LIMIT * helloLength
                    && !(smallIHellosBySource.tryAcquire(from.getAddress()) && smallIHellos.tryAcquire(Boolean.TRUE))) {
                metrics.drop("small_ihello_rate");
                return;
            }
            LOG.debug("IHello from {}: RHello", from);
            metrics.handshakes.increment();
            metrics.helloFrom(from);
            send(from, rhello);
            return;
        }
        if (epd.fingerprint().isEmpty()) {
            metrics.drop("epd_not_this_server");
            return;
        }
        Session initiator = byAddress.get(from);
        if (initiator != null && !initiator.isOpen()) {
            initiator = null;
        }
        if (initiator != null && initiator.isFarFingerprint(epd.fingerprint().get())) {
            metrics.refuse("introduction_self");
            return;
        }
        byte[] fingerprint = epd.fingerprint().get();
        if (!pairIntroductions.tryAcquire(pairIntroductions.digest(from, fingerprint))
                || !targetIntroductions.tryAcquire(targetIntroductions.digest(fingerprint))) {
            metrics.refuse("introduction_rate");
            return;
        }
        application.onIntroductionRequest(
                new IntroductionRequest(initiator, from, hello.epd(), fingerprint, hello.tag()));
    }

    /** Returns whether the IIKeying's cookie proved its sender's address. */
    private boolean onIIKeying(InetSocketAddress from, IIKeying iikeying) {
        if (iikeying.initiatorSessionId() == 0) {
            metrics.drop("iikeying_session_id_zero");
            return false;
        }
        switch (cookies.check(iikeying.cookie(), from)) {
            case INVALID -> {
                metrics.drop("bad_cookie");
                return false;
            }
            case OTHER_ADDRESS -> {
                LOG.debug("IIKeying from {} with another address's cookie: Cookie Change", from);
                sendStartup(from, iikeying.initiatorSessionId(), new CookieChange(iikeying.cookie(), cookies.make(from)));
                return false;
            }
            case VALID -> {
            }
        }
        InitiatorKey key = new InitiatorKey(from, iikeying.initiatorSessionId());
        Handshake done = handshakes.get(key);
        if (done != null && Arrays.equals(done.skic, iikeying.skic())) {
            LOG.debug("repeated IIKeying from {}: same RIKeying again", from);
            sendStartup(from, key.initiatorSessionId, done.riKeying);
            return true;
        }
        if (keyingInProgress.contains(key)) {
            return true;
        }
        InetAddress source = SourceAddress.of(from.getAddress());
        if (!iikeyingsBySource.tryAcquire(source)) {
            metrics.drop("source_iikeying_rate");
            return true;
        }
        InitiatorKeying.Checked checked = InitiatorKeying.check(iikeying, keying.groups());
        if (checked instanceof InitiatorKeying.Refused refused) {
            refuse(key, refused.reason(), refused.detail());
            return true;
        }
        InitiatorKeying request = ((InitiatorKeying.Accepted) checked).request();
        Session existing = byAddress.get(from);
        if (existing != null && existing.farId() == key.initiatorSessionId
                && existing.isFarFingerprint(request.certificate().fingerprint())) {
            // A late copy of the IIKeying that opened this session (a network duplicate or a retransmission
            // overtaken by the session's first packets): the initiator has its keys already.
            metrics.drop("iikeying_for_open_session");
            return true;
        }
        if (existing != null && !existing.isFarFingerprint(request.certificate().fingerprint())) {
            metrics.drop("address_in_use");
            return true;
        }
        if (!admitted(existing, source)) {
            return true;
        }
        int room = sessionsBySource.containsKey(source) ? keyingQueueLimit : keyingQueueCapacity(keyingQueueLimit);
        if (keyingInProgress.size() >= room) {
            metrics.drop("keying_queue_full");
            return true;
        }
        keyingInProgress.add(key);
        handshakesBySource.merge(source, 1, Integer::sum);
        if (keyInline()) {
            metrics.observe(ServerMetrics.Timing.KEYING_WAIT, metrics.now()); // no wait: keyed here and now
            long start = System.nanoTime();
            ResponderKeying.Outcome outcome = computeInline(request);
            inlineNanosThisWindow += System.nanoTime() - start;
            onKeyed(key, iikeying, outcome);
            return true;
        }
        try {
            keyingWorkers.execute(() -> computeAndHandBack(key, iikeying, request));
        } catch (RejectedExecutionException e) {
            keyingDone(key);
            metrics.drop("keying_queue_full");
        }
        return true;
    }

    /** The most handshakes in the keying queue: the limit, and the reserve for sources with no session. */
    public static int keyingQueueCapacity(int keyingQueueLimit) {
        return keyingQueueLimit + Math.max(1, keyingQueueLimit / NEW_SOURCE_RESERVE_DIVISOR);
    }

    /** The admission limits, for an IIKeying from {@code source} that would replace {@code existing} (or not). */
    private boolean admitted(Session existing, InetAddress source) {
        if (existing == null && sessions.size() >= admission.maxSessions()) {
            metrics.drop("max_sessions");
            long now = clock.nowMillis();
            if (lastFullLogAt == Long.MIN_VALUE || now - lastFullLogAt >= ERROR_LOG_INTERVAL_MILLIS) {
                lastFullLogAt = now;
                LOG.warn("the server holds max-sessions ({}) sessions: new clients are refused (event=max_sessions; logged at most"
                        + " once a minute; counted as max_sessions)", admission.maxSessions());
            }
            return false;
        }
        if (existing == null && sessionsBySource.getOrDefault(source, 0) >= admission.maxSessionsPerSource()) {
            metrics.drop("source_sessions");
            return false;
        }
        if (handshakesBySource.getOrDefault(source, 0) >= admission.maxHandshakesPerSource()) {
            metrics.drop("source_handshakes");
            return false;
        }
        return true;
    }

    private void keyingDone(InitiatorKey key) {
        if (keyingInProgress.remove(key)) {
            decrement(handshakesBySource, SourceAddress.of(key.address.getAddress()));
        }
    }

    private static void decrement(Map<InetAddress, Integer> counts, InetAddress source) {
        counts.computeIfPresent(source, (k, n) -> n > 1 ? n - 1 : null);
    }

    /**
     * Runs on a keying worker: whatever happens, an outcome goes back to the protocol thread, which
     * frees the handshake's place in the keying queue.
     */
    private void computeAndHandBack(InitiatorKey key, IIKeying iikeying, InitiatorKeying request) {
        ResponderKeying.Outcome outcome = new ResponderKeying.Refused(KeyingRefusal.INTERNAL_ERROR,
                "the keying work ended without an outcome");
        try {
            outcome = keying.compute(request);
        } finally {
            ResponderKeying.Outcome result = outcome;
            loop.execute(() -> onKeyed(key, iikeying, result));
        }
    }

    /**
     * Lets the protocol thread do the Diffie-Hellman work itself while IIKeyings are few: below
     * {@code perSecond} of them in the last {@value #KEYING_WINDOW_MILLIS} ms window (and in this one so
     * far), with none queued for the workers, and while that work took less than {@code budgetNanos} of
     * the loop's time in the last window and in this one. Each hand-off to a worker and back wakes two
     * sleeping threads, which at low rates costs more than the exponentiation saves the loop; the time
     * budget keeps a slow loop (cold code, a starved CPU) from taking all the work on itself. Zero
     * (the default) always hands off.
     */
    public void keyInlineBelow(int perSecond, long budgetNanos) {
        this.inlineKeyingPerWindow = (int) ((long) perSecond * KEYING_WINDOW_MILLIS / 1000);
        this.inlineBudgetNanos = budgetNanos;
    }

    /** Counts one IIKeying for keying work; whether it is to be keyed on the protocol thread. */
    private boolean keyInline() {
        long now = clock.nowMillis();
        if (now - keyingWindowStart >= KEYING_WINDOW_MILLIS) {
            boolean previous = now - keyingWindowStart < 2 * KEYING_WINDOW_MILLIS;
            keyingLastWindow = previous ? keyingThisWindow : 0;
            inlineNanosLastWindow = previous ? inlineNanosThisWindow : 0;
            keyingThisWindow = 0;
            inlineNanosThisWindow = 0;
            keyingWindowStart = now;
        }
        keyingThisWindow++;
        return keyingInProgress.size() == 1 && keyingLastWindow < inlineKeyingPerWindow
                && keyingThisWindow <= inlineKeyingPerWindow
                && inlineNanosLastWindow < inlineBudgetNanos && inlineNanosThisWindow < inlineBudgetNanos;
    }

    /** The keying work on the protocol thread; an exception becomes a refusal, as on a worker. */
    private ResponderKeying.Outcome computeInline(InitiatorKeying request) {
        try {
            return keying.compute(request);
        } catch (RuntimeException e) {
            return new ResponderKeying.Refused(KeyingRefusal.INTERNAL_ERROR, e.toString());
        }
    }

    private void refuse(InitiatorKey key, KeyingRefusal reason, String detail) {
        metrics.refuse(reason.label());
        LOG.debug("IIKeying from {} refused: {} ({})", key.address, reason.label(), LogSafe.text(detail, LogSafe.MAX_MESSAGE_CHARS));
    }

    private void onKeyed(InitiatorKey key, IIKeying iikeying, ResponderKeying.Outcome outcome) {
        keyingDone(key);
        if (outcome instanceof ResponderKeying.Refused refused) {
            refuse(key, refused.reason(), refused.detail());
            if (refused.reason() == KeyingRefusal.INTERNAL_ERROR) {
                remoteLog.warn(key.address, "keying for {} failed (event={}): {}", key.address, refused.reason().label(),
                        LogSafe.text(refused.detail(), LogSafe.MAX_MESSAGE_CHARS));
            }
            return;
        }
        ResponderKeying.Keyed keyed = (ResponderKeying.Keyed) outcome;
        Session old = byAddress.get(key.address);
        if (old != null) {
            remoteLog.info(key.address, "session {} from {} overridden by a new one with the same certificate",
                    Integer.toHexString(old.nearId()), key.address);
            old.abort();
            remove(old);
        }
        int sessionId = newSessionId();
        Session session = new Session(sessionId, key.initiatorSessionId, false, key.address,
                keyed.initiatorCertificate().fingerprint(), keyed.cipher(), sessionTransmitter, clock, settings,
                indexing, timers);
        RIKeying riKeying = new RIKeying(sessionId, keyed.skrc(), new byte[] {CertificateOptions.SIGNATURE});
        Handshake handshake = new Handshake(key, iikeying.skic(), riKeying);
        sessions.add(session);
        byAddress.put(session);
        sessionsBySource.merge(SourceAddress.of(key.address.getAddress()), 1, Integer::sum);
        handshakes.put(key, handshake);
        handshakeOf.put(sessionId, handshake);
        metrics.sessionsOpened.increment();
        remoteLog.info(key.address, "session {} open with {} (peer {})", LogSafe.lazy(() -> Integer.toHexString(sessionId)),
                key.address, LogSafe.lazy(() -> java.util.HexFormat.of().formatHex(session.farFingerprintShared())));
        application.onSessionOpened(session);
        sendStartup(key.address, key.initiatorSessionId, riKeying);
    }

    /** The initiator's first session packet shows it has the RIKeying: stop keeping it for repeats. */
    private void forgetHandshake(int sessionId) {
        Handshake handshake = handshakeOf.remove(sessionId);
        if (handshake != null) {
            handshakes.remove(handshake.key, handshake);
        }
    }

    private int newSessionId() {
        int id;
        do {
            id = random.nextInt();
        } while (id == 0 || sessions.containsKey(id));
        return id;
    }

    /**
     * Who decides whether a new client is sent to another server (a cluster's full or draining node);
     * by default nobody: every IHello for this server is answered here.
     */
    public void redirector(Redirector redirector) {
        this.redirector = java.util.Objects.requireNonNull(redirector, "redirector");
    }

    /** Sends one startup chunk (RHello, Redirect, RIKeying, Cookie Change) under the default key. */
    @Override
    public void sendStartup(InetSocketAddress to, int farSessionId, Chunk chunk) {
        send(to, startupDatagram(farSessionId, chunk));
    }

    private byte[] startupDatagram(int farSessionId, Chunk chunk) {
        Packet packet = new Packet(STARTUP_FLAGS, (int) ((clock.nowMillis() / 4) & 0xffff), Packet.ABSENT, List.of(chunk));
        return Datagrams.encode(farSessionId, PacketCipher.DEFAULT, 0, packet);
    }

    private void send(InetSocketAddress to, byte[] datagram) {
        metrics.packetsOut.increment();
        metrics.bytesOut.add(datagram.length);
        transmitter.send(to, datagram);
    }

    /**
     * Runs the timers of the sessions whose next deadline has come, and only those: a session idle
     * between its keepalives costs nothing here. Forgets the sessions that closed.
     */
    public void tick() {
        timers.expire(clock.nowMillis(), runTimers);
        for (Session session : closedInTick) {
            remove(session);
        }
        closedInTick.clear();
        publishedSessions = sessions.size();
        publishedKeying = keyingInProgress.size();
    }

    private void runTimers(Session session) {
        try {
            session.tick();
        } catch (RuntimeException e) {
            // One session's failure must not skip the timers of the sessions after it.
            metrics.drop("internal_error");
            logError("the timers of session " + Integer.toHexString(session.nearId()) + " failed; it is closed", e);
            session.abort();
        }
        if (session.isClosed()) {
            closedInTick.add(session);
        }
    }

    /** Starts the polite close of every session (RFC 7016 §3.5.5.1), as a shutdown does. */
    public void closeAll() {
        for (Session session : sessions.snapshot()) {
            session.close();
        }
    }

    /** Whether no session is waiting for the far end to acknowledge a close. */
    public boolean allClosed() {
        for (Session session : sessions.snapshot()) {
            if (session.state() == Session.State.OPEN || session.state() == Session.State.NEAR_CLOSE) {
                return false;
            }
        }
        return true;
    }

    private void remove(Session session) {
        if (sessions.remove(session)) {
            decrement(sessionsBySource, SourceAddress.of(session.farAddress().getAddress()));
        }
        session.cancelTimer();
        byAddress.remove(session.farAddress(), session);
        forgetHandshake(session.nearId());
    }

    /** Keeps the address index in step with each session, then tells the application. */
    private final class Indexing implements SessionListener {
        private final ServerApplication next;

        Indexing(ServerApplication next) {
            this.next = next;
        }

        @Override
        public boolean onFlowOpened(Session session, RecvFlow flow) {
            return next.onFlowOpened(session, flow);
        }

        @Override
        public void onMessage(Session session, RecvFlow flow, byte[] message) {
            next.onMessage(session, flow, message);
        }

        @Override
        public void onFlowFinished(Session session, RecvFlow flow) {
            next.onFlowFinished(session, flow);
        }

        @Override
        public void onForwardedIHello(Session session, ForwardedIHello hello) {
            metrics.drop("forwarded_ihello_to_server");
        }

        @Override
        public void onListenerFailed(Session session, RuntimeException failure) {
            metrics.drop("internal_error");
            logError("session " + Integer.toHexString(session.nearId()) + ": a message could not be handled", failure);
        }

        /**
         * The session proved it now receives at a new address (RFC 7016 §3.5.4.2). Another session
         * indexed at that address can no longer be reached there: its far end has gone (the NAT gave
         * its port to this one), so it is closed rather than left to answer for the address.
         */
        @Override
        public void onAddressChanged(Session session, InetSocketAddress previous) {
            byAddress.remove(previous, session);
            decrement(sessionsBySource, SourceAddress.of(previous.getAddress()));
            sessionsBySource.merge(SourceAddress.of(session.farAddress().getAddress()), 1, Integer::sum);
            Session holder = byAddress.put(session);
            if (holder != null && holder != session) {
                metrics.count("address_taken_over");
                remoteLog.info(session.farAddress(), "session {} moved to {}, which session {} held: that one is closed",
                        Integer.toHexString(session.nearId()), session.farAddress(), Integer.toHexString(holder.nearId()));
                holder.abort();
                remove(holder);
            } else {
                remoteLog.info(session.farAddress(), "session {} moved to {}", Integer.toHexString(session.nearId()),
                        session.farAddress());
            }
            next.onAddressChanged(session);
        }

        @Override
        public void onClosed(Session session) {
            byAddress.remove(session.farAddress(), session);
            metrics.sessionsClosed.increment();
            remoteLog.info(session.farAddress(), "session {} with {} closed", LogSafe.lazy(() -> Integer.toHexString(session.nearId())),
                    session.farAddress());
            next.onClosed(session);
        }
    }

    private record InitiatorKey(InetSocketAddress address, int initiatorSessionId) {
    }

    private record Handshake(InitiatorKey key, byte[] skic, RIKeying riKeying) {
    }
}
