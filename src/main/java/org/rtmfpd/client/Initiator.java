package org.rtmfpd.client;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.CertificateOptions;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.EndpointDiscriminator;
import org.rtmfpd.crypto.KeyingComponent;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.crypto.SessionCipher;
import org.rtmfpd.crypto.SessionKeys;
import org.rtmfpd.session.Clock;
import org.rtmfpd.session.Transmitter;
import org.rtmfpd.wire.CookieChange;
import org.rtmfpd.wire.IHello;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.PeerAddress;
import org.rtmfpd.wire.RHello;
import org.rtmfpd.wire.RIKeying;
import org.rtmfpd.wire.Redirect;
import org.rtmfpd.wire.WireException;

/**
 * The initiator's side of opening one session (RFC 7016 §3.5.1, RFC 7425 §4.6): turns an endpoint
 * discriminator into IHellos, the matching RHello into an IIKeying, and the RIKeying into the keys and
 * packet cipher of a new session. It follows Redirects (up to {@value #MAX_DESTINATIONS} addresses) and
 * Cookie Changes, accepts the RHello from any address as long as the tag matches (a peer answers a
 * Forwarded IHello from its own address), and retransmits on the RFC schedule: after 1 s, then each gap
 * 1.5 s longer, until the deadline. It does no I/O of its own, reads time only from its {@link Clock}
 * and is not thread-safe.
 */
public final class Initiator {
    /** The first retransmission comes this long after the first send (RFC 7016 §3.5.1). */
    static final long FIRST_RETRANSMIT_MILLIS = 1_000;
    /** Each later gap is this much longer than the one before (RFC 7016 §3.5.1). */
    static final long RETRANSMIT_GROWTH_MILLIS = 1_500;
    /** Addresses an initiator sends IHello to at most, Redirects included (rtmfp-cpp REDIRECT_THRESHOLD). */
    public static final int MAX_DESTINATIONS = 24;
    /** Tag length of Flash and rtmfp-cpp (RFC 7016 §2.3.2 leaves it open). */
    static final int TAG_LENGTH = 16;
    /** Extra randomness in the SKIC, as Flash and rtmfp-cpp send (RFC 7425 §4.6.1). */
    static final int EXTRA_RANDOMNESS_LENGTH = 64;
    private static final byte[] SIGNATURE = {CertificateOptions.SIGNATURE};

    /** Where the handshake is (RFC 7016 §3.5: S_IHELLO_SENT, S_KEYING_SENT, then open or given up). */
    public enum State { HELLO_SENT, KEYING_SENT, OPEN, FAILED }

    /** What an initiator reports; every call comes from inside one of its methods. */
    public interface Listener {
        /** An IHello went to {@code to}; {@code attempt} counts from 1 for each address. */
        default void onHelloSent(Initiator initiator, InetSocketAddress to, int attempt) {
        }

        /** An RHello with an acceptable certificate arrived; the IIKeying goes back to {@code from}. */
        default void onResponderHello(Initiator initiator, InetSocketAddress from, Certificate certificate) {
        }

        /** A Redirect arrived; {@code addresses} are those it listed. */
        default void onRedirect(Initiator initiator, InetSocketAddress from, List<InetSocketAddress> addresses) {
        }

        /** Keying completed: open a session with what {@code opened} holds. */
        void onOpened(Initiator initiator, Opened opened);

        /** The handshake gave up; {@code failure} says why. */
        void onFailed(Initiator initiator, RtmfpException failure);
    }

    /**
     * Everything a session needs once keying is done.
     *
     * @param nearId this end's session ID (the ISID), which the responder puts on its packets
     * @param farId the responder's session ID (the RSID), for packets to it
     * @param farAddress where the RIKeying came from
     */
    public record Opened(int nearId, int farId, InetSocketAddress farAddress, Certificate responderCertificate,
                         DhGroup group, KeyingComponent skic, KeyingComponent skrc, SessionKeys keys,
                         PacketCipher cipher) {
    }

    private final ClientIdentity identity;
    private final ClientSettings settings;
    private final byte[] epd;
    private final EndpointDiscriminator discriminator;
    private final byte[] tag = new byte[TAG_LENGTH];
    private final int sessionId;
    private final Transmitter transmitter;
    private final Clock clock;
    private final SecureRandom random;
    private final Listener listener;
    private final List<InetSocketAddress> destinations = new ArrayList<>();
    private final List<Integer> attempts = new ArrayList<>();

    private State state = State.HELLO_SENT;
    private boolean started;
    private long deadline;
    private long retransmitAt;
    private long retransmitInterval;
    private InetSocketAddress responder;
    private Certificate responderCertificate;
    private DhGroup group;
    private byte[] cookie;
    private KeyingComponent skic;
    private String rejection;

    /**
     * @param epd the endpoint discriminator: {@link #serverEpd} or {@link #peerEpd}
     * @param sessionId this end's session ID (ISID): non-zero and unique among this end's sessions
     */
    public Initiator(ClientIdentity identity, ClientSettings settings, byte[] epd, int sessionId,
                     Transmitter transmitter, Clock clock, SecureRandom random, Listener listener) {
        if (sessionId == 0) {
            throw new IllegalArgumentException("session ID 0 is reserved for startup packets");
        }
        this.identity = identity;
        this.settings = settings;
        this.epd = epd.clone();
        this.discriminator = EndpointDiscriminator.parse(epd);
        this.sessionId = sessionId;
        this.transmitter = transmitter;
        this.clock = clock;
        this.random = random;
        this.listener = listener;
        random.nextBytes(tag);
    }

    /** The EPD Flash sends to a server: the whole connect URL as ancillary data (RFC 7425 §4.4.2.2). */
    public static byte[] serverEpd(String url) {
        return EndpointDiscriminator.ofAncillaryData(url);
    }

    /** The EPD that names a peer, or a server, by fingerprint: {@code 21 0f <32 bytes>} (RFC 7425 §4.4.2.3). */
    public static byte[] peerEpd(byte[] peerId) {
        if (peerId.length != CertificateOptions.FINGERPRINT_LENGTH) {
            throw new IllegalArgumentException("a peer ID has 32 bytes, not " + peerId.length);
        }
        return EndpointDiscriminator.ofFingerprint(peerId);
    }

    /** Sends the first IHello to each address and starts the clock. */
    public void start(Collection<InetSocketAddress> to) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        long now = clock.nowMillis();
        deadline = now + settings.openTimeoutMillis();
        retransmitInterval = FIRST_RETRANSMIT_MILLIS;
        retransmitAt = now + retransmitInterval;
        for (InetSocketAddress address : to) {
            if (destinations.size() < MAX_DESTINATIONS && !destinations.contains(address)) {
                destinations.add(address);
                attempts.add(0);
                sendHello(destinations.size() - 1);
            }
        }
    }

    public State state() {
        return state;
    }

    public boolean isDone() {
        return state == State.OPEN || state == State.FAILED;
    }

    /** Whether the EPD names an endpoint by fingerprint: a peer (or a pinned server). */
    public boolean isByFingerprint() {
        return discriminator.fingerprint().isPresent();
    }

    /** The fingerprint the EPD names, if it names one. */
    public Optional<byte[]> wantedFingerprint() {
        return discriminator.fingerprint().map(byte[]::clone);
    }

    public int sessionId() {
        return sessionId;
    }

    public byte[] tag() {
        return tag.clone();
    }

    public byte[] epd() {
        return epd.clone();
    }

    /** The addresses IHellos went to so far, the Redirects' included. */
    public List<InetSocketAddress> destinations() {
        return List.copyOf(destinations);
    }

    /** The responder that answered, once an RHello was accepted. */
    public Optional<InetSocketAddress> responder() {
        return Optional.ofNullable(responder);
    }

    /** When {@link #tick} next has something to do, or {@link Long#MAX_VALUE} when done. */
    public long nextTimeoutAt() {
        return isDone() || !started ? Long.MAX_VALUE : Math.min(deadline, retransmitAt);
    }

    /** Whether {@code tagEcho} is this handshake's tag. */
    public boolean hasTag(byte[] tagEcho) {
        return Arrays.equals(tag, tagEcho);
    }

    // ---------------------------------------------------------------- receiving

    /** An RHello (RFC 7016 §2.3.4): check the tag and certificate, then send the IIKeying to its sender. */
    public void onRHello(RHello hello, InetSocketAddress from) {
        if (state != State.HELLO_SENT || !hasTag(hello.tagEcho())) {
            return;
        }
        Certificate certificate;
        try {
            certificate = Certificate.parse(hello.certificate());
        } catch (WireException e) {
            reject("malformed certificate from " + from + ": " + e.getMessage());
            return;
        }
        String problem = certificateProblem(certificate);
        if (problem != null) {
            reject(problem + " (RHello from " + from + ")");
            return;
        }
        responder = from;
        responderCertificate = certificate;
        group = chooseGroup(certificate);
        cookie = hello.cookie();
        byte[] extra = new byte[EXTRA_RANDOMNESS_LENGTH];
        random.nextBytes(extra);
        skic = KeyingComponent.builder()
                .groupSelect(group)
                .extraRandomness(extra)
                .hmac(settings.hmac(), settings.hmacLength())
                .sseq(settings.sseq())
                .build();
        state = State.KEYING_SENT;
        listener.onResponderHello(this, from, certificate);
        restartRetransmission();
        sendKeying();
    }

    /** A Redirect (RFC 7016 §2.3.5): send IHello to each new address; an empty list means "try me again". */
    public void onRedirect(Redirect redirect, InetSocketAddress from) {
        if (state != State.HELLO_SENT || !hasTag(redirect.tagEcho())) {
            return;
        }
        List<InetSocketAddress> listed = new ArrayList<>();
        for (PeerAddress address : redirect.addresses()) {
            listed.add(address.address());
        }
        listener.onRedirect(this, from, listed);
        if (state != State.HELLO_SENT) {
            return; // the listener gave up on it (an introduction asked for its Redirect only)
        }
        if (listed.isEmpty()) {
            listed.add(from);
        }
        for (InetSocketAddress address : listed) {
            int index = destinations.indexOf(address);
            if (index < 0 && destinations.size() < MAX_DESTINATIONS) {
                destinations.add(address);
                attempts.add(0);
                sendHello(destinations.size() - 1);
            } else if (index >= 0 && address.equals(from)) {
                sendHello(index);
            }
        }
    }

    /** A Cookie Change (RFC 7016 §2.3.6): resend the IIKeying with the new cookie. */
    public void onCookieChange(CookieChange change, InetSocketAddress from) {
        if (state != State.KEYING_SENT || !Arrays.equals(change.oldCookie(), cookie)) {
            return;
        }
        cookie = change.newCookie();
        restartRetransmission();
        sendKeying();
    }

    /**
     * An RIKeying (RFC 7016 §2.3.8), which arrives with this end's session ID under the default key: agree
     * on the DH secret, derive the keys (RFC 7425 §4.6.3) and negotiate HMAC and sequence numbers.
     */
    public void onRIKeying(RIKeying keying, InetSocketAddress from) {
        if (state != State.KEYING_SENT || keying.responderSessionId() == 0) {
            return; // a responder ID of 0 would make this end's packets look like startup packets
        }
        KeyingComponent skrc;
        try {
            skrc = KeyingComponent.parse(keying.skrc());
        } catch (WireException e) {
            fail(RtmfpException.Reason.KEYING_FAILED, "malformed SKRC from " + from + ": " + e.getMessage());
            return;
        }
        byte[] farKey;
        if (responderCertificate.isStatic()) {
            farKey = responderCertificate.staticKey(group).orElseThrow();
        } else {
            Optional<KeyingComponent.EphemeralKey> ephemeral = skrc.ephemeralKey();
            if (ephemeral.isEmpty() || ephemeral.get().group() != group.id()) {
                fail(RtmfpException.Reason.KEYING_FAILED, "the SKRC from " + from + " has no ephemeral key for group "
                        + group.id());
                return;
            }
            farKey = ephemeral.get().key();
        }
        Optional<byte[]> secret = identity.agree(group, farKey);
        if (secret.isEmpty()) {
            fail(RtmfpException.Reason.KEYING_FAILED, "the responder's public key fails the checks of RFC 7425 §4.6.2");
            return;
        }
        SessionKeys keys = SessionKeys.derive(secret.get(), skic.encoded(), skrc.encoded());
        Optional<PacketCipher> cipher = SessionCipher.negotiate(keys, skic, skrc);
        if (cipher.isEmpty()) {
            fail(RtmfpException.Reason.KEYING_FAILED, "HMAC or sequence-number negotiation failed: this end offers HMAC "
                    + flags(skic.hmac().negotiation().flags()) + " and SSEQ " + flags(skic.sseq().flags())
                    + ", the responder HMAC " + flags(skrc.hmac().negotiation().flags()) + " length " + skrc.hmac().length()
                    + " and SSEQ " + flags(skrc.sseq().flags()));
            return;
        }
        state = State.OPEN;
        listener.onOpened(this, new Opened(sessionId, keying.responderSessionId(), from, responderCertificate, group,
                skic, skrc, keys, cipher.get()));
    }

    // ---------------------------------------------------------------- timers

    /** Retransmits what is due and gives up at the deadline. */
    public void tick() {
        if (isDone() || !started) {
            return;
        }
        long now = clock.nowMillis();
        if (now >= deadline) {
            giveUp();
            return;
        }
        if (now >= retransmitAt) {
            retransmitInterval += RETRANSMIT_GROWTH_MILLIS;
            retransmitAt = now + retransmitInterval;
            if (state == State.HELLO_SENT) {
                for (int i = 0; i < destinations.size(); i++) {
                    sendHello(i);
                }
            } else {
                sendKeying();
            }
        }
    }

    /** Abandons the handshake, as when the client shuts down; reports {@link RtmfpException.Reason#CLOSED}. */
    public void cancel(String why) {
        if (!isDone()) {
            fail(RtmfpException.Reason.CLOSED, why);
        }
    }

    private void giveUp() {
        long seconds = settings.openTimeoutMillis() / 1000;
        if (state == State.KEYING_SENT) {
            fail(RtmfpException.Reason.TIMEOUT, "no RIKeying from " + responder + " within " + seconds + " s");
        } else if (rejection != null) {
            fail(RtmfpException.Reason.BAD_CERTIFICATE, rejection);
        } else {
            fail(RtmfpException.Reason.TIMEOUT, "no answer from " + destinations + " within " + seconds + " s");
        }
    }

    private void fail(RtmfpException.Reason reason, String message) {
        state = State.FAILED;
        listener.onFailed(this, new RtmfpException(reason, message));
    }

    /**
     * An RHello that cannot be used: a server's answer is final, but a peer search may still get the
     * right answer from another address, so it only remembers why.
     */
    private void reject(String problem) {
        rejection = problem;
        if (!isByFingerprint()) {
            fail(RtmfpException.Reason.BAD_CERTIFICATE, problem);
        }
    }

    private String certificateProblem(Certificate certificate) {
        boolean ephemeral = !certificate.options().all(CertificateOptions.SUPPORTED_GROUP).isEmpty();
        if (ephemeral == certificate.isStatic()) {
            return "certificate lists " + (ephemeral ? "both static keys and ephemeral groups" : "no Diffie-Hellman group");
        }
        if (!discriminator.selects(certificate)) {
            if (isByFingerprint()) {
                return "certificate fingerprint " + HexFormat.of().formatHex(certificate.fingerprint())
                        + " is not the one asked for";
            }
            return discriminator.ancillaryData().isPresent() && !certificate.acceptsAncillaryData()
                    ? "certificate does not accept ancillary data (option 0x0a), so it cannot serve a URL"
                    : "certificate is not selected by the endpoint discriminator";
        }
        if (chooseGroup(certificate) == null) {
            List<Integer> offered = ephemeral
                    ? certificate.supportedGroups().stream().map(DhGroup::id).toList()
                    : Arrays.stream(DhGroup.values()).filter(g -> certificate.staticKey(g).isPresent()).map(DhGroup::id).toList();
            return "no Diffie-Hellman group in common: the responder offers " + offered + ", this client has "
                    + identity.groups().stream().map(DhGroup::id).toList();
        }
        return null;
    }

    /** The first group of this client's preference that the responder lists (RFC 7425 §4.2). */
    private DhGroup chooseGroup(Certificate certificate) {
        List<DhGroup> offered = certificate.isStatic() ? null : certificate.supportedGroups();
        for (DhGroup candidate : identity.groups()) {
            if (offered != null ? offered.contains(candidate) : certificate.staticKey(candidate).isPresent()) {
                return candidate;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- sending

    private void restartRetransmission() {
        retransmitInterval = FIRST_RETRANSMIT_MILLIS;
        retransmitAt = clock.nowMillis() + retransmitInterval;
    }

    private void sendHello(int index) {
        InetSocketAddress to = destinations.get(index);
        int attempt = attempts.get(index) + 1;
        attempts.set(index, attempt);
        transmitter.send(to, StartupPackets.encode(0, new IHello(epd, tag), clock.nowMillis()));
        listener.onHelloSent(this, to, attempt);
    }

    private void sendKeying() {
        IIKeying keying = new IIKeying(sessionId, cookie, identity.certificate().encoded(), skic.encoded(), SIGNATURE);
        transmitter.send(responder, StartupPackets.encode(0, keying, clock.nowMillis()));
    }

    private static String flags(int flags) {
        return String.format("0x%02x", flags);
    }
}
