package org.rtmfpd.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.CookieJar;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.DhKeyPair;
import org.rtmfpd.crypto.EndpointDiscriminator;
import org.rtmfpd.crypto.KeyingComponent;
import org.rtmfpd.crypto.Negotiation;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.crypto.SessionCipher;
import org.rtmfpd.crypto.SessionKeys;
import org.rtmfpd.flash.KeepaliveTimers;
import org.rtmfpd.flash.NetConnectionService;
import org.rtmfpd.handshake.EphemeralKeys;
import org.rtmfpd.handshake.ResponderKeying;
import org.rtmfpd.rendezvous.DeveloperKeyStore;
import org.rtmfpd.rendezvous.DeveloperKeys;
import org.rtmfpd.rendezvous.Rendezvous;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.session.Session;
import org.rtmfpd.session.SessionSettings;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.IHello;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.Packet;
import org.rtmfpd.wire.RHello;
import org.rtmfpd.wire.RIKeying;
import org.slf4j.LoggerFactory;

/**
 * The whole server without sockets, as {@link RtmfpServer} wires it (dispatcher, Flash layer,
 * rendezvous), on a clock the caller moves, with keying work queued and run by {@link #runKeying},
 * datagrams out collected in {@link #sent}, and every randomness seeded: the same calls give the same
 * datagrams. For fuzzing (docs/testing.md); build a fresh one for each input.
 */
final class SansIoServer {
    static final String KEY = "DEVKEY";
    static final String URL = "rtmfp://127.0.0.1:1935/" + KEY;
    static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);
    static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.1", 50001);
    static final InetSocketAddress THIRD = new InetSocketAddress("127.0.0.2", 50002);
    /** The initiator session ID the client end asks for. */
    static final int CLIENT_SESSION_ID = 0x01020304;
    static final KeyingComponent SKIC = KeyingComponent.builder().groupSelect(DhGroup.GROUP_2)
            .extraRandomness(new byte[64]).hmac(Negotiation.ON_REQUEST, 10).sseq(Negotiation.ON_REQUEST).build();

    private static final DhKeyPair CLIENT_KEY = DhGroup.GROUP_2.generateKeyPair(seeded(7));
    private static final Certificate CLIENT_CERTIFICATE = Certificate.staticKeys(List.of(CLIENT_KEY));
    /** One server key pair for every instance: each handshake then costs one modular exponentiation. */
    private static final EphemeralKeys SERVER_KEYS = new EphemeralKeys(seeded(8), () -> 0, Long.MAX_VALUE);
    /** Shared secrets by the server's public key: the same for every instance, computed once. */
    private static final Map<String, byte[]> SECRETS = new ConcurrentHashMap<>();
    private static final FailureWatch FLASH_FAILURES = FailureWatch.install(NetConnectionService.class);

    final long[] now = {1_000_000};
    final List<Sent> sent = new ArrayList<>();
    final List<Runnable> keyingQueue = new ArrayList<>();
    final ServerMetrics metrics = new ServerMetrics();
    final NetConnectionService service;
    final Dispatcher dispatcher;

    record Sent(InetSocketAddress to, byte[] datagram) {
    }

    SansIoServer() {
        FLASH_FAILURES.reset();
        SecureRandom random = seeded(1);
        InstantSource instants = () -> Instant.ofEpochMilli(now[0]);
        DeveloperKeyStore keys;
        try {
            keys = DeveloperKeyStore.of(Path.of("developer-keys.conf"),
                    DeveloperKeys.parse("developer-keys.conf", KEY + "\n"), instants);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Rendezvous<Session> rendezvous = new org.rtmfpd.rendezvous.LocalRendezvous<>(keys::find, 5, instants, new Random(2));
        service = new NetConnectionService(keys, rendezvous, false, new KeepaliveTimers(15_000, 10_000),
                () -> now[0], new NetConnectionService.Counter() {
                    @Override
                    public void count(String event) {
                        metrics.count(event);
                    }

                    @Override
                    public void refuse(String reason) {
                        metrics.refuse(reason);
                    }
                });
        dispatcher = new Dispatcher(Certificate.ephemeral(List.of(DhGroup.GROUP_2), new byte[64]),
                new CookieJar(random, () -> now[0]), new ResponderKeying(List.of(DhGroup.GROUP_2), SERVER_KEYS), 4,
                SessionSettings.DEFAULT, (to, d) -> sent.add(new Sent(to, d)), () -> now[0], keyingQueue::add,
                Runnable::run, service, metrics);
        service.startupSender(dispatcher);
    }

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    void receive(InetSocketAddress from, byte[] datagram) {
        dispatcher.onDatagram(from, datagram);
        runKeying();
    }

    void runKeying() {
        while (!keyingQueue.isEmpty()) {
            keyingQueue.remove(0).run();
        }
    }

    /** Moves the clock and runs the timers, as the server's 100 ms tick does. */
    void advance(long millis) {
        now[0] += millis;
        dispatcher.tick();
        service.tick();
        runKeying();
    }

    /**
     * Throws if anything inside failed in a way other than refusing bad input: the dispatcher and the
     * sessions count such failures as {@code internal_error}; the Flash layer logs each failure with
     * its exception, and only {@link org.rtmfpd.wire.WireException} is a refusal.
     */
    void checkNoInternalFailure() {
        if (metrics.dropped("internal_error") != 0) {
            throw new AssertionError("internal_error counted " + metrics.dropped("internal_error") + " times");
        }
        FLASH_FAILURES.check();
    }

    /** {@code plain} (flags through chunks) sealed under the default key, as to session 0. */
    static byte[] startupDatagram(byte[] plain) {
        return seal(0, PacketCipher.DEFAULT, 0, plain);
    }

    static byte[] startup(Chunk chunk) {
        Packet packet = new Packet(Packet.TS | Packet.MODE_STARTUP, 0, Packet.ABSENT, List.of(chunk));
        return Datagrams.encode(0, PacketCipher.DEFAULT, 0, packet);
    }

    static byte[] seal(int farSessionId, PacketCipher cipher, long sequenceNumber, byte[] plain) {
        return Datagrams.seal(farSessionId, cipher, sequenceNumber, plain, 0, plain.length);
    }

    private Chunk lastChunkTo(InetSocketAddress to) {
        for (int i = sent.size() - 1; i >= 0; i--) {
            Sent s = sent.get(i);
            if (s.to().equals(to)) {
                try {
                    return Datagrams.decode(s.datagram(), PacketCipher.DEFAULT).packet().chunks().get(0);
                } catch (RuntimeException e) {
                    // a session packet
                }
            }
        }
        throw new AssertionError("no startup answer to " + to);
    }

    /** Runs the handshake from {@code from} with the client keys and returns the client's end of the session. */
    ClientEnd handshake(InetSocketAddress from) {
        receive(from, startup(new IHello(EndpointDiscriminator.ofAncillaryData(URL), new byte[16])));
        RHello rhello = (RHello) lastChunkTo(from);
        receive(from, startup(new IIKeying(CLIENT_SESSION_ID, rhello.cookie(), CLIENT_CERTIFICATE.encoded(),
                SKIC.encoded(), new byte[] {0x58})));
        RIKeying riKeying = (RIKeying) lastChunkTo(from);
        sent.clear();
        return new ClientEnd(riKeying);
    }

    /** The client's end of a session: enough to seal packets the server accepts. */
    static final class ClientEnd {
        final int serverSessionId;
        final PacketCipher cipher;
        private long sequenceNumber;

        ClientEnd(RIKeying riKeying) {
            KeyingComponent skrc = KeyingComponent.parse(riKeying.skrc());
            byte[] serverKey = skrc.ephemeralKey().orElseThrow().key();
            byte[] secret = SECRETS.computeIfAbsent(Arrays.toString(serverKey),
                    k -> CLIENT_KEY.agree(serverKey).orElseThrow());
            this.serverSessionId = riKeying.responderSessionId();
            this.cipher = SessionCipher.negotiate(SessionKeys.derive(secret, SKIC.encoded(), skrc.encoded()), SKIC,
                    skrc).orElseThrow();
        }

        /** {@code plain} (flags through chunks) as the next datagram of this session. */
        byte[] seal(byte[] plain) {
            return SansIoServer.seal(serverSessionId, cipher, ++sequenceNumber, plain);
        }
    }

    /** Records the Flash layer's failures whose exception is not a refusal of bad input. */
    static final class FailureWatch extends AppenderBase<ILoggingEvent> {
        private volatile String failure;

        static FailureWatch install(Class<?> source) {
            Logger logger = (Logger) LoggerFactory.getLogger(source);
            FailureWatch watch = new FailureWatch();
            watch.start();
            logger.addAppender(watch);
            logger.setAdditive(false);
            logger.setLevel(Level.DEBUG);
            return watch;
        }

        @Override
        protected void append(ILoggingEvent event) {
            String line = event.getFormattedMessage();
            if (line.contains(" failed: ") && !line.contains(" failed: WireException")) {
                failure = line;
            }
        }

        void reset() {
            failure = null;
        }

        void check() {
            if (failure != null) {
                throw new AssertionError("the Flash layer failed: " + failure);
            }
        }
    }
}
