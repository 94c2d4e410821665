package org.rtmfpd.natlab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.client.PeerSession;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.config.ListenAddress;

/**
 * A lab host's peer process: runs inside a lab namespace and drives {@link RtmfpClient}s on the commands
 * it reads, one a line, answering each with one line that starts with the command's client name.
 *
 * <pre>
 * open NAME BIND-HOST:PORT [MS]  -> NAME opened LOCAL-ADDRESS          (MS: how long a handshake tries, 10 s by default)
 * connect NAME URL report|silent -> NAME connected PEER-ID-HEX      (report: setPeerInfo with this host's addresses, as Flash)
 * meet NAME PEER-ID-HEX MILLIS   -> NAME met PEER-ID-HEX ELAPSED-MS FAR-ADDRESS  |  NAME failed PEER-ID-HEX ELAPSED-MS REASON
 * join NAME GROUP-ID-HEX MILLIS  -> NAME members ID,ID,...          (after MILLIS ms)
 * close NAME                     -> NAME closed
 * </pre>
 * Any failure answers {@code NAME error REASON}. The process ends when its input ends.
 */
public final class LabPeerAgent {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private static final Map<String, RtmfpClient> CLIENTS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

    private LabPeerAgent() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        OUT.println("agent ready");
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.strip().split("\\s+");
            if (words.length < 2) {
                continue;
            }
            try {
                handle(words);
            } catch (RuntimeException e) {
                answer(words[1], "error " + oneLine(e));
            }
        }
        CLIENTS.values().forEach(c -> c.closeAsync());
        System.exit(0);
    }

    private static void handle(String[] w) {
        String name = w[1];
        switch (w[0]) {
            case "open" -> {
                Duration tries = w.length > 3 ? Duration.ofMillis(Long.parseLong(w[3])) : OPEN_TIMEOUT;
                RtmfpClient client = RtmfpClient.open(ClientIdentity.generate(RANDOM),
                        ClientSettings.FLASH_LIKE.withOpenTimeout(tries), ListenAddress.parse(w[2], 0), null);
                CLIENTS.put(name, client);
                answer(name, "opened " + client.localAddress());
            }
            case "connect" -> {
                RtmfpClient client = client(name);
                boolean report = w.length < 4 || w[3].equals("report");
                InetAddress server = ListenAddress.parse(java.net.URI.create(w[2]).getHost(), 0).getAddress();
                client.connect(w[2])
                        .thenCompose(info -> report
                                ? client.setPeerInfo(ownAddresses(server, client.localAddress().getPort()))
                                : CompletableFuture.<Void>completedFuture(null))
                        .whenComplete((ok, failure) -> answer(name, failure == null
                                ? "connected " + client.identity().peerIdHex()
                                : "error " + oneLine(failure)));
            }
            case "meet" -> {
                RtmfpClient client = client(name);
                byte[] peer = HexFormat.of().parseHex(w[2]);
                long limit = Long.parseLong(w[3]);
                long start = System.nanoTime();
                client.connectToPeer(peer)
                        .orTimeout(limit, TimeUnit.MILLISECONDS)
                        .whenComplete((session, failure) -> {
                            long elapsed = (System.nanoTime() - start) / 1_000_000;
                            answer(name, failure == null ? "met " + w[2] + " " + elapsed + " " + session.address()
                                    : "failed " + w[2] + " " + elapsed + " " + oneLine(failure));
                        });
            }
            case "join" -> {
                RtmfpClient client = client(name);
                long wait = Long.parseLong(w[3]);
                client.joinGroup(HexFormat.of().parseHex(w[2]))
                        .thenCompose(m -> CompletableFuture.supplyAsync(() -> m,
                                CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS)))
                        .whenComplete((m, failure) -> answer(name, failure == null
                                ? "members " + m.members().stream().map(HexFormat.of()::formatHex)
                                        .collect(Collectors.joining(",")) + ","
                                : "error " + oneLine(failure)));
            }
            case "close" -> {
                RtmfpClient client = CLIENTS.remove(name);
                if (client != null) {
                    client.close();
                }
                answer(name, "closed");
            }
            default -> answer(name, "error unknown command " + w[0]);
        }
    }

    private static RtmfpClient client(String name) {
        RtmfpClient client = CLIENTS.get(name);
        if (client == null) {
            throw new IllegalArgumentException("no client " + name);
        }
        return client;
    }

    /** This host's own addresses of the server's family with the socket's port, as Flash reports them. */
    static List<InetSocketAddress> ownAddresses(InetAddress server, int port) {
        boolean v4 = server instanceof Inet4Address;
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isLoopback() || !nif.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if ((a instanceof Inet4Address) == v4 && !a.isLinkLocalAddress()) {
                        out.add(new InetSocketAddress(a, port));
                    }
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list this host's addresses: " + e.getMessage(), e);
        }
        return out;
    }

    private static synchronized void answer(String name, String text) {
        OUT.println(name + " " + text);
    }

    private static String oneLine(Throwable t) {
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        String text = t.getClass().getSimpleName() + ": " + t.getMessage();
        return text.replace('\n', ' ');
    }
}
