package org.rtmfpd.flash;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.rtmfpd.crypto.PacketCipher;
import org.rtmfpd.crypto.SessionKeys;
import org.rtmfpd.rendezvous.DeveloperKeyStore;
import org.rtmfpd.rendezvous.DeveloperKeys;
import org.rtmfpd.rendezvous.GroupId;
import org.rtmfpd.rendezvous.PeerId;
import org.rtmfpd.rendezvous.LocalRendezvous;
import org.rtmfpd.session.Clock;
import org.rtmfpd.session.Datagrams;
import org.rtmfpd.session.RecvFlow;
import org.rtmfpd.session.SendFlow;
import org.rtmfpd.session.Session;
import org.rtmfpd.session.SessionListener;
import org.rtmfpd.session.SessionSettings;
import org.rtmfpd.wire.ByteBufs;
import org.rtmfpd.wire.Chunk;
import org.rtmfpd.wire.ForwardedIHello;

/**
 * The server's Flash layer over real sessions: each test client is a session pair wired back to back
 * in memory (no sockets), the server side's listener being one {@link NetConnectionService}, all on
 * one manual clock.
 */
final class FlashHarness {
    static final byte[] GC_METADATA = {'G', 'C', 0x01};

    final ManualClock clock = new ManualClock();
    final DeveloperKeyStore keys;
    /** When set, the rendezvous's developer-key lookups throw it (a fault in a lower layer). */
    RuntimeException keyLookupFault;
    final LocalRendezvous<Session> rendezvous;
    final NetConnectionService service;
    final Map<String, Integer> counted = new HashMap<>();
    final Map<String, Integer> refused = new HashMap<>();
    final List<Chunk> startupSent = new ArrayList<>();
    private int nextSessionId = 0x100;

    FlashHarness(String keysFile) {
        this(keysFile, false);
    }

    FlashHarness(String keysFile, boolean openIntroductions) {
        try {
            keys = DeveloperKeyStore.of(Path.of("developer-keys.conf"),
                    DeveloperKeys.parse("developer-keys.conf", keysFile), () -> Instant.ofEpochMilli(clock.now));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        rendezvous = new LocalRendezvous<>(key -> {
            if (keyLookupFault != null) {
                throw keyLookupFault;
            }
            return keys.find(key);
        }, 5, () -> Instant.ofEpochMilli(clock.now), new Random(1));
        service = new NetConnectionService(keys, rendezvous, openIntroductions, new KeepaliveTimers(15_000, 10_000),
                clock, new NetConnectionService.Counter() {
                    @Override
                    public void count(String event) {
                        counted.merge(event, 1, Integer::sum);
                    }

                    @Override
                    public void refuse(String reason) {
                        refused.merge(reason, 1, Integer::sum);
                    }
                });
        service.startupSender((to, farSessionId, chunk) -> startupSent.add(chunk));
    }

    int counted(String event) {
        return counted.getOrDefault(event, 0);
    }

    int refused(String reason) {
        return refused.getOrDefault(reason, 0);
    }

    /** A client at {@code ip}:{@code port} whose peer ID is made from {@code seed}. */
    TestClient client(String ip, int port, int seed) {
        return new TestClient(new InetSocketAddress(ip, port), seed, nextSessionId++);
    }

    static GroupId group(int seed) {
        byte[] id = new byte[32];
        id[0] = (byte) seed;
        return GroupId.of(id);
    }

    static byte[] join(GroupId group) {
        ByteBuf out = Unpooled.buffer();
        new GroupJoin(group).write(out);
        return ByteBufs.toArray(out);
    }

    static Map<String, Object> connectObject(String key) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("app", key);
        properties.put("tcUrl", "rtmfp://rtmfpd.example/" + key);
        properties.put("objectEncoding", 3.0);
        return properties;
    }

    static byte[] command(String name, double transactionId, Object commandObject, Object... arguments) {
        return new Command(name, transactionId, commandObject, List.of(arguments)).toMessage().toBytes();
    }

    /** One client: its own session, the server's session for it, and the datagrams between them. */
    final class TestClient implements SessionListener {
        final InetSocketAddress address;
        final Session near;
        final Session server;
        final PeerId peerId;
        final Deque<byte[]> toServer = new ArrayDeque<>();
        final Deque<byte[]> toClient = new ArrayDeque<>();
        /** Commands the server sent, on any TC flow. */
        final List<Command> replies = new ArrayList<>();
        /** Messages the server sent on GC flows. */
        final List<byte[]> groupMessages = new ArrayList<>();
        /** Forwarded IHellos the server sent in this client's session. */
        final List<ForwardedIHello> forwarded = new ArrayList<>();
        SendFlow netConnection;

        TestClient(InetSocketAddress address, int seed, int serverSessionId) {
            this.address = address;
            byte[] secret = new byte[64];
            new Random(seed).nextBytes(secret);
            byte[] fingerprint = new byte[32];
            new Random(seed + 1_000_003L).nextBytes(fingerprint);
            peerId = PeerId.of(fingerprint);
            byte[] clientComponent = {1, (byte) seed};
            byte[] serverComponent = {2, (byte) seed};
            PacketCipher clientCipher = PacketCipher.forSession(
                    SessionKeys.derive(secret, clientComponent, serverComponent), 0, 0, false, false);
            PacketCipher serverCipher = PacketCipher.forSession(
                    SessionKeys.derive(secret, serverComponent, clientComponent), 0, 0, false, false);
            InetSocketAddress serverAddress = new InetSocketAddress("203.0.113.1", 1935);
            near = new Session(0x7000 + seed, serverSessionId, true, serverAddress, new byte[32], clientCipher,
                    (to, d) -> toServer.add(d), clock, SessionSettings.DEFAULT, this);
            server = new Session(serverSessionId, 0x7000 + seed, false, address, fingerprint, serverCipher,
                    (to, d) -> toClient.add(d), clock, SessionSettings.DEFAULT, service);
        }

        /** Opens a flow with {@code metadata} and sends {@code messages} on it. */
        SendFlow open(byte[] metadata, byte[]... messages) {
            SendFlow flow = near.openFlow(metadata, -1);
            send(flow, messages);
            return flow;
        }

        void send(SendFlow flow, byte[]... messages) {
            for (byte[] message : messages) {
                flow.send(message);
            }
            near.flush();
            exchange();
        }

        /** Sends {@code message} on the NetConnection flow, opening it the first time. */
        void netConnection(byte[] message) {
            if (netConnection == null) {
                netConnection = open(FlowMetadata.NET_CONNECTION.toBytes(), message);
            } else {
                send(netConnection, message);
            }
        }

        void connect(String key) {
            netConnection(command("connect", 1, connectObject(key)));
        }

        Command lastReply() {
            return replies.isEmpty() ? null : replies.get(replies.size() - 1);
        }

        /** The description in the last reply's info object. */
        String lastDescription() {
            return (String) ((Map<?, ?>) lastReply().arguments().get(0)).get("description");
        }

        /** Delivers datagrams both ways until none are left. */
        void exchange() {
            int limit = 10_000;
            while ((!toServer.isEmpty() || !toClient.isEmpty()) && limit-- > 0) {
                while (!toServer.isEmpty()) {
                    byte[] d = toServer.poll();
                    server.receive(Datagrams.decode(d, server.cipher()), address);
                }
                while (!toClient.isEmpty()) {
                    byte[] d = toClient.poll();
                    near.receive(Datagrams.decode(d, near.cipher()), server.farAddress());
                }
            }
        }

        @Override
        public boolean onFlowOpened(Session session, RecvFlow flow) {
            return true;
        }

        @Override
        public void onMessage(Session session, RecvFlow flow, byte[] message) {
            if (message.length == 0) {
                return; // the final fragment of a flow the server closed
            }
            if (flow.metadata()[0] == 'G') {
                groupMessages.add(message);
                return;
            }
            TcMessage tc = TcMessage.parse(message);
            if (tc.type() == TcMessage.COMMAND_AMF0) {
                replies.add(Command.from(tc));
            }
        }

        @Override
        public void onForwardedIHello(Session session, ForwardedIHello hello) {
            forwarded.add(hello);
        }

        @Override
        public void onClosed(Session session) {
        }
    }

    static final class ManualClock implements Clock {
        long now = 1_000_000;

        @Override
        public long nowMillis() {
            return now;
        }
    }
}
