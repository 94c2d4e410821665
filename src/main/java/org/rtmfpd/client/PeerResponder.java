package org.rtmfpd.client;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntSupplier;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.CertificateOptions;
import org.rtmfpd.crypto.CookieJar;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.EndpointDiscriminator;
import org.rtmfpd.crypto.KeyingComponent;
import org.rtmfpd.crypto.Negotiation;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.crypto.SessionCipher;
import org.rtmfpd.crypto.SessionKeys;
import org.rtmfpd.session.Clock;
import org.rtmfpd.session.Transmitter;
import org.rtmfpd.wire.CookieChange;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.Limits;
import org.rtmfpd.wire.RHello;
import org.rtmfpd.wire.RIKeying;
import org.rtmfpd.wire.WireException;

/**
 * A client's small responder side, for peers that the server introduces to it (RFC 7016 §3.5.1.5-6):
 * turns a Forwarded IHello or a direct IHello naming this client's peer ID into an RHello with a stateless
 * cookie and the client's static certificate, and an IIKeying carrying a valid cookie into an RIKeying and
 * the cipher of a new session. Keying is static-static, as between rtmfp-cpp peers: the SKRC carries no
 * public key, because an initiator that sees a static certificate computes the secret from the key in it
 * (RFC 7425 §4.6.1). A repeated IIKeying gets the same RIKeying again. Not thread-safe.
 */
final class PeerResponder {
    /** Answered IIKeyings remembered for replay, oldest dropped first. */
    static final int MAX_REMEMBERED = 64;
    private static final byte[] SIGNATURE = {CertificateOptions.SIGNATURE};

    /** A session to open: this end is its responder. */
    record Accepted(int nearId, int farId, InetSocketAddress farAddress, Certificate initiatorCertificate,
                    PacketCipher cipher) {
    }

    private record Key(InetSocketAddress from, int initiatorSessionId) {
    }

    private record Answer(byte[] skic, byte[] datagram) {
    }

    private final ClientIdentity identity;
    private final ClientSettings settings;
    private final Transmitter transmitter;
    private final Clock clock;
    private final SecureRandom random;
    private final CookieJar cookies;
    private boolean answering = true;
    private final Map<Key, Answer> answered = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Answer> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    PeerResponder(ClientIdentity identity, ClientSettings settings, Transmitter transmitter, Clock clock,
                  SecureRandom random) {
        this.identity = identity;
        this.settings = settings;
        this.transmitter = transmitter;
        this.clock = clock;
        this.random = random;
        this.cookies = new CookieJar(random, clock::nowMillis);
    }

    /** Whether an IHello that names this client is answered (true), or only reported (a bench's targets). */
    void answer(boolean on) {
        answering = on;
    }

    /**
     * An IHello (direct, or forwarded by the server) for {@code epd}: answer it if it names this client.
     * Returns whether it does name this client.
     */
    boolean onHello(byte[] epd, byte[] tag, InetSocketAddress replyTo) {
        if (tag.length > Limits.MAX_IHELLO_TAG || !selectsThisClient(epd)) {
            return false;
        }
        if (!answering) {
            return true;
        }
        RHello hello = new RHello(tag, cookies.make(replyTo), identity.certificate().encoded());
        transmitter.send(replyTo, StartupPackets.encode(0, hello, clock.nowMillis()));
        return true;
    }

    private boolean selectsThisClient(byte[] epd) {
        try {
            return EndpointDiscriminator.parse(epd).selects(identity.certificate());
        } catch (WireException e) {
            return false;
        }
    }

    /**
     * An IIKeying: returns the session to open, or null when there is none (dropped, answered with a Cookie
     * Change, or a repeat answered with the RIKeying sent before).
     */
    Accepted onIIKeying(IIKeying keying, InetSocketAddress from, IntSupplier allocateSessionId) {
        int initiatorId = keying.initiatorSessionId();
        if (initiatorId == 0) {
            return null;
        }
        Key key = new Key(from, initiatorId);
        Answer previous = answered.get(key);
        if (previous != null && Arrays.equals(previous.skic(), keying.skic())) {
            transmitter.send(from, previous.datagram());
            return null;
        }
        switch (cookies.check(keying.cookie(), from)) {
            case INVALID:
                return null;
            case OTHER_ADDRESS:
                transmitter.send(from, StartupPackets.encode(initiatorId,
                        new CookieChange(keying.cookie(), cookies.make(from)), clock.nowMillis()));
                return null;
            default:
                break;
        }
        Certificate certificate;
        KeyingComponent skic;
        try {
            certificate = Certificate.parse(keying.certificate());
            skic = KeyingComponent.parse(keying.skic());
        } catch (WireException e) {
            return null;
        }
        Optional<byte[]> secret = agree(certificate, skic);
        if (secret.isEmpty()) {
            return null;
        }
        byte[] extra = new byte[Initiator.EXTRA_RANDOMNESS_LENGTH];
        random.nextBytes(extra);
        KeyingComponent skrc = KeyingComponent.builder()
                .sseq(answer(settings.sseq(), skic.sseq()))
                .hmac(answer(settings.hmac(), skic.hmac().negotiation()), settings.hmacLength())
                .extraRandomness(extra)
                .build();
        SessionKeys keys = SessionKeys.derive(secret.get(), skrc.encoded(), keying.skic());
        Optional<PacketCipher> cipher = SessionCipher.negotiate(keys, skrc, skic);
        if (cipher.isEmpty()) {
            return null;
        }
        int responderId = allocateSessionId.getAsInt();
        byte[] datagram = StartupPackets.encode(initiatorId,
                new RIKeying(responderId, skrc.encoded(), SIGNATURE), clock.nowMillis());
        answered.put(key, new Answer(keying.skic(), datagram));
        transmitter.send(from, datagram);
        return new Accepted(responderId, initiatorId, from, certificate, cipher.get());
    }

    /** This client's static key with the initiator's static key for the group its SKIC selects, or its ephemeral key. */
    private Optional<byte[]> agree(Certificate initiator, KeyingComponent skic) {
        OptionalInt groupId;
        byte[] theirKey;
        if (initiator.isStatic()) {
            groupId = skic.groupSelect();
            if (groupId.isEmpty()) {
                return Optional.empty();
            }
            Optional<DhGroup> group = DhGroup.byId(groupId.getAsInt());
            Optional<byte[]> key = group.flatMap(initiator::staticKey);
            if (key.isEmpty()) {
                return Optional.empty();
            }
            theirKey = key.get();
        } else {
            Optional<KeyingComponent.EphemeralKey> ephemeral = skic.ephemeralKey();
            if (ephemeral.isEmpty()) {
                return Optional.empty();
            }
            groupId = OptionalInt.of(ephemeral.get().group());
            theirKey = ephemeral.get().key();
        }
        Optional<DhGroup> ours = DhGroup.byId(groupId.getAsInt()).filter(g -> identity.keyPair(g).isPresent());
        return ours.flatMap(group -> identity.agree(group, theirKey));
    }

    /**
     * This end's flags: what it offers anyway, "on request" always, and "always" for what the initiator
     * requests, as rtmfp-cpp answers (RFC 7425 §4.6.4).
     */
    private static Negotiation answer(Negotiation own, Negotiation initiator) {
        return new Negotiation(own.flags() | Negotiation.SEND_ON_REQUEST
                | (initiator.requests() ? Negotiation.SEND_ALWAYS : 0));
    }
}
