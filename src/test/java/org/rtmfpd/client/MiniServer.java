package org.rtmfpd.client;

import org.rtmfpd.flash.Command;
import org.rtmfpd.flash.TcMessage;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.CookieJar;
import org.rtmfpd.crypto.DhGroup;
import org.rtmfpd.crypto.EndpointDiscriminator;
import org.rtmfpd.handshake.EphemeralKeys;
import org.rtmfpd.handshake.ResponderKeying;
import org.rtmfpd.session.Clock;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.session.RecvFlow;
import org.rtmfpd.session.SendFlow;
import org.rtmfpd.session.Session;
import org.rtmfpd.session.SessionListener;
import org.rtmfpd.session.SessionSettings;
import org.rtmfpd.session.Transmitter;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.ForwardedIHello;
import org.rtmfpd.wire.IHello;
import org.rtmfpd.wire.IIKeying;
import org.rtmfpd.wire.PeerAddress;
import org.rtmfpd.wire.RHello;
import org.rtmfpd.wire.RIKeying;
import org.rtmfpd.wire.Redirect;

/**
 * A just-big-enough rendezvous server for the client's tests, built from the project's responder classes:
 * RHello with a stateless cookie, ephemeral keying, connect (key "DEVKEY" only), setPeerInfo, peer-ID
 * introductions (Redirect plus Forwarded IHello) and NetGroup joins. Sans-IO like the client.
 */
final class MiniServer implements SessionListener {
    static final String KEY = "DEVKEY";

    private final Transmitter transmitter;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Certificate certificate;
    private final CookieJar cookies;
    private final ResponderKeying keying;
    private final Map<Integer, Session> sessions = new HashMap<>();
    private final Map<Session, Client> clients = new HashMap<>();
    private final Map<String, List<Client>> groups = new HashMap<>();
    final List<String> commands = new ArrayList<>();
    int introductions;
    /** Refuse every flow with a Flow Exception, as rtmfp-cpp's tcserver does to a client it rejects. */
    boolean refuseFlows;
    int nextId = 0x100;

    static final class Client {
        final Session session;
        SendFlow control;
        boolean connected;
        final List<InetSocketAddress> reported = new ArrayList<>();

        Client(Session session) {
            this.session = session;
        }
    }

    MiniServer(Transmitter transmitter, Clock clock) {
        this(transmitter, clock, Certificate.ephemeral(List.of(DhGroup.GROUP_2), new byte[64]));
    }

    MiniServer(Transmitter transmitter, Clock clock, Certificate certificate) {
        this.certificate = certificate;
        this.transmitter = transmitter;
        this.clock = clock;
        this.cookies = new CookieJar(random, clock::nowMillis);
        this.keying = new ResponderKeying(List.of(DhGroup.GROUP_2), new EphemeralKeys(random, clock, 60_000));
    }

    byte[] fingerprint() {
        return certificate.fingerprint();
    }

    List<Session> sessions() {
        return List.copyOf(sessions.values());
    }

    void receive(byte[] datagram, InetSocketAddress from) {
        int sessionId = Datagrams.sessionId(datagram);
        if (sessionId == 0) {
            List<Chunk> chunks = StartupPackets.decode(datagram);
            if (chunks != null && !chunks.isEmpty()) {
                onStartup(chunks.get(0), from);
            }
            return;
        }
        Session session = sessions.get(sessionId);
        if (session != null) {
            session.receive(Datagrams.decode(datagram, session.cipher()), from);
        }
    }

    void tick() {
        for (Session session : List.copyOf(sessions.values())) {
            session.tick();
        }
    }

    private void onStartup(Chunk chunk, InetSocketAddress from) {
        if (chunk instanceof IHello hello) {
            EndpointDiscriminator epd = EndpointDiscriminator.parse(hello.epd());
            if (epd.fingerprint().isEmpty()) {
                RHello answer = new RHello(hello.tag(), cookies.make(from), certificate.encoded());
                transmitter.send(from, StartupPackets.encode(0, answer, clock.nowMillis()));
            } else if (epd.fingerprint().isPresent()) {
                introduce(epd.fingerprint().get(), hello, from);
            }
        } else if (chunk instanceof IIKeying iik && cookies.check(iik.cookie(), from) == CookieJar.Verdict.VALID) {
            ResponderKeying.Outcome outcome = keying.compute(iik);
            if (outcome instanceof ResponderKeying.Keyed keyed) {
                int id = nextId++;
                Session session = new Session(id, iik.initiatorSessionId(), false, from,
                        keyed.initiatorCertificate().fingerprint(), keyed.cipher(), transmitter, clock,
                        SessionSettings.DEFAULT, this);
                sessions.put(id, session);
                clients.put(session, new Client(session));
                RIKeying answer = new RIKeying(id, keyed.skrc(), new byte[] {0x58});
                transmitter.send(from, StartupPackets.encode(iik.initiatorSessionId(), answer, clock.nowMillis()));
            }
        }
    }

    private void introduce(byte[] peerId, IHello hello, InetSocketAddress from) {
        for (Client target : clients.values()) {
            if (target.connected && !target.reported.isEmpty() && target.session.isFarFingerprint(peerId)) {
                List<PeerAddress> addresses = new ArrayList<>();
                addresses.add(new PeerAddress(target.session.farAddress(), PeerAddress.Origin.OBSERVED));
                for (InetSocketAddress reported : target.reported) {
                    addresses.add(new PeerAddress(reported, PeerAddress.Origin.REPORTED));
                }
                transmitter.send(from, StartupPackets.encode(0, new Redirect(hello.tag(), addresses), clock.nowMillis()));
                target.session.sendChunk(new ForwardedIHello(hello.epd(),
                        new PeerAddress(from, PeerAddress.Origin.OBSERVED), hello.tag()));
                target.session.flush();
                introductions++;
            }
        }
    }

    @Override
    public boolean onFlowOpened(Session session, RecvFlow flow) {
        return !refuseFlows;
    }

    @Override
    public void onMessage(Session session, RecvFlow flow, byte[] message) {
        Client client = clients.get(session);
        if (flow.metadata()[0] == 'G') {
            if (message.length < 3) {
                return; // the end of the flow (a leave): nothing to answer
            }
            String group = Arrays.toString(Arrays.copyOfRange(message, 3, message.length));
            List<Client> members = groups.computeIfAbsent(group, g -> new ArrayList<>());
            SendFlow reply = session.openFlow(new byte[] {'G', 'C'}, flow.flowId());
            for (Client member : members) {
                byte[] entry = new byte[33];
                entry[0] = 0x0b;
                System.arraycopy(member.session.farFingerprint(), 0, entry, 1, 32);
                reply.send(entry);
            }
            members.add(client);
            session.flush();
            return;
        }
        Command received = Command.from(TcMessage.parse(message));
        String name = received.name();
        commands.add(name);
        double transaction = received.transactionId();
        if (name.equals("connect")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> command = (Map<String, Object>) received.commandObject();
            client.control = session.openFlow(ClientCore.NETCONNECTION_METADATA, flow.flowId());
            Map<String, Object> info = new LinkedHashMap<>();
            if (KEY.equals(command.get("app"))) {
                client.connected = true;
                info.put("level", "status");
                info.put("code", "NetConnection.Connect.Success");
                info.put("description", "welcome");
                info.put("objectEncoding", command.get("objectEncoding"));
                reply(client, "_result", transaction, info);
            } else {
                info.put("level", "error");
                info.put("code", "NetConnection.Connect.Rejected");
                info.put("description", "unknown developer key");
                reply(client, "_error", transaction, info);
            }
        } else if (name.equals("setPeerInfo")) {
            for (Object value : received.arguments()) {
                String text = (String) value;
                int colon = text.lastIndexOf(':');
                client.reported.add(new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1))));
            }
        } else if (name.equals("echo")) {
            reply(client, "_result", transaction, received.arguments().isEmpty() ? null : received.arguments().get(0));
        } else if (transaction > 0) {
            reply(client, "_error", transaction, Map.of("level", "error", "code", "NetConnection.Call.Failed",
                    "description", "no such method"));
        }
    }

    private void reply(Client client, String name, double transaction, Object info) {
        client.control.send(new Command(name, transaction, null, java.util.List.of(info)).toMessage().toBytes());
        client.session.flush();
    }

    Optional<Client> client(byte[] peerId) {
        return clients.values().stream().filter(c -> c.session.isFarFingerprint(peerId)).findFirst();
    }

    @Override
    public void onClosed(Session session) {
        clients.remove(session);
        for (List<Client> members : groups.values()) {
            members.removeIf(c -> c.session == session);
        }
    }
}
