package org.rtmfpd.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientListener;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.client.Initiator;
import org.rtmfpd.client.NatProbe;
import org.rtmfpd.nat.NatClassifier;
import org.rtmfpd.nat.NatVerdict;
import org.rtmfpd.client.PeerSession;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.client.RtmfpException;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.KeyingComponent;
import org.rtmfpd.crypto.Negotiation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rtmfpd probe rtmfp://host[:port]/KEY}: connects to an RTMFP server as a Flash Player-like client
 * and prints each step (handshake, the server's fingerprint, session, connect result, round-trip time, its
 * own peer ID); with {@code --peer} it also asks the server for an introduction to that peer. Exits 0 on
 * success, otherwise with one of the codes below and a one-line reason.
 */
@Command(name = "probe", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ProbeCommand.USAGE,
        description = "Connect to an RTMFP server as a Flash-like client and report each step.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:other failure (keying refused, session closed)", "2:no answer within the timeout",
                "3:connect rejected (wrong key)", "4:bad server certificate", "5:peer not reached (--peer)",
                "6:--nat: direct sessions with peers behind common home routers are not expected",
                "7:--nat: whether they are cannot be told (the server has no stun-alternate, or answers no STUN)",
                "64:invalid arguments"})
public final class ProbeCommand implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int NO_ANSWER = 2;
    public static final int REJECTED = 3;
    public static final int BAD_CERTIFICATE = 4;
    public static final int PEER_NOT_REACHED = 5;
    public static final int P2P_NOT_EXPECTED = 6;
    public static final int P2P_UNKNOWN = 7;
    public static final int USAGE = 64;

    private static final String SUCCESS = "NetConnection.Connect.Success";

    @Parameters(index = "0", paramLabel = "URL", description = "rtmfp://host[:port]/KEY (port 1935 by default)")
    String url;

    @Option(names = "--peer", paramLabel = "<64-hex>", description = "after connecting, ask for an introduction to this peer ID")
    String peer;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "how long to wait for each answer (default: ${DEFAULT-VALUE})")
    double timeoutSeconds;

    @Option(names = "--hmac-sseq", negatable = true,
            description = "offer and require HMAC and session sequence numbers (flags 0x07, 16-byte tags, as "
            + "rtmfp-cpp's clients do) instead of Flash Player's \"on request\" (0x02, 10-byte tags; default: off)")
    boolean hmacSseq;

    @Option(names = "--nat", negatable = true,
            description = "first run RFC 5780's NAT tests against the server's STUN from the local socket that then"
                    + " connects, and print the verdict: UDP reachability, mapping, filtering, hairpinning and which"
                    + " peer NATs can be reached directly (docs/nat.md; default: off)")
    boolean nat;

    @Spec
    CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        URI uri;
        byte[] peerId = null;
        try {
            uri = URI.create(url);
            if (!"rtmfp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("expected rtmfp://host[:port]/KEY");
            }
            if (peer != null) {
                peerId = HexFormat.of().parseHex(peer.trim());
                if (peerId.length != 32) {
                    throw new IllegalArgumentException("--peer needs 64 hex digits (a 32-byte peer ID)");
                }
            }
            if (!(timeoutSeconds > 0)) {
                throw new IllegalArgumentException("--timeout must be positive");
            }
        } catch (IllegalArgumentException e) {
            err.println("probe: invalid arguments: " + e.getMessage());
            err.flush();
            return USAGE;
        }
        Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        ClientSettings settings = (hmacSseq ? ClientSettings.HMAC_SSEQ_REQUIRED : ClientSettings.FLASH_LIKE)
                .withOpenTimeout(timeout);
        ClientIdentity identity = ClientIdentity.generate(new SecureRandom());

        say("probe " + uri + " (timeout " + timeoutSeconds + " s)");
        say("  keying: " + (hmacSseq ? "HMAC and sequence numbers required (flags 0x07, 16-byte tags)"
                : "Flash-like, HMAC and sequence numbers on request (flags 0x02, 10-byte tags)"));
        say("  this client's peer ID: " + identity.peerIdHex() + " (group-2 certificate, "
                + identity.certificate().length() + " bytes)");

        Outcome outcome;
        InetSocketAddress bind = new InetSocketAddress(0);
        NatVerdict verdict = null;
        if (nat) {
            try {
                InetSocketAddress server = new InetSocketAddress(uri.getHost(),
                        uri.getPort() < 0 ? RtmfpClient.DEFAULT_PORT : uri.getPort());
                bind = new InetSocketAddress(NatCheck.localAddressToward(server), 0);
                try (DatagramSocket socket = new DatagramSocket(bind)) {
                    bind = (InetSocketAddress) socket.getLocalSocketAddress();
                    say("nat: RFC 5780 tests from " + show(bind) + " against " + show(server));
                    verdict = NatClassifier.classify(new NatProbe(socket, line -> say("nat: " + line)).run(server));
                }
            } catch (IOException | RuntimeException e) {
                err.println("FAIL: NAT tests failed: " + e.getMessage());
                err.flush();
                return FAILED;
            }
        }
        try (RtmfpClient client = RtmfpClient.open(identity, settings, bind, new Steps())) {
            outcome = probe(client, uri, peerId, timeout);
        } catch (RuntimeException e) {
            outcome = new Outcome(FAILED, "client failed: " + e);
        }
        if (verdict != null) {
            outcome = report(verdict, outcome);
        }
        if (outcome.code() == OK) {
            say("OK");
        } else {
            err.println("FAIL: " + outcome.reason());
            err.flush();
        }
        return outcome.code();
    }

    private record Outcome(int code, String reason) {
    }

    /** Prints the NAT verdict; the exit code is the connect's failure, else what the verdict expects of P2P. */
    private Outcome report(NatVerdict verdict, Outcome connected) {
        say("NAT verdict (RFC 4787 words; docs/nat.md):");
        verdict.lines().forEach(this::say);
        say(verdict.summary());
        if (connected.code() != OK) {
            return connected;
        }
        if (!verdict.udpReachable()) {
            say("RTMFP connected but STUN got no answer: the server has STUN off (stun = false), so NAT behaviour"
                    + " cannot be told");
            return new Outcome(P2P_UNKNOWN, "the server answers no STUN");
        }
        return switch (verdict.p2p()) {
            case EXPECTED -> connected;
            case NOT_EXPECTED -> new Outcome(P2P_NOT_EXPECTED,
                    "direct sessions with peers behind common home routers are not expected from this network");
            case CANNOT_TELL -> new Outcome(P2P_UNKNOWN, "the NAT's behaviour cannot be told: "
                    + (verdict.mapping().isEmpty() ? verdict.mappingUnknown() : verdict.filteringUnknown()));
        };
    }

    private Outcome probe(RtmfpClient client, URI uri, byte[] peerId, Duration timeout) {
        Map<String, Object> info;
        try {
            info = await(client.connect(uri), timeout.plusSeconds(1));
        } catch (TimeoutException e) {
            return new Outcome(NO_ANSWER, "no answer to connect within " + seconds(timeout));
        } catch (RtmfpException e) {
            return switch (e.reason()) {
                case TIMEOUT -> new Outcome(NO_ANSWER, "no answer: " + e.getMessage());
                case BAD_CERTIFICATE -> new Outcome(BAD_CERTIFICATE, "bad server certificate: " + e.getMessage());
                case REJECTED -> new Outcome(REJECTED, "connect rejected: " + e.getMessage());
                default -> new Outcome(FAILED, e.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + e.getMessage());
            };
        } catch (Exception e) {
            return new Outcome(FAILED, "connect failed: " + e);
        }
        Object code = info.get("code");
        say("connect: " + code + describe(info));
        if (!SUCCESS.equals(code)) {
            return new Outcome(REJECTED, "connect rejected: " + code + describe(info));
        }
        try {
            Duration rtt = await(client.ping(), timeout);
            say(String.format(Locale.ROOT, "round trip: %.3f ms", rtt.toNanos() / 1e6));
        } catch (TimeoutException | RtmfpException e) {
            return new Outcome(NO_ANSWER, "no Ping Reply from the server: " + e.getMessage());
        } catch (Exception e) {
            return new Outcome(FAILED, "ping failed: " + e);
        }
        if (peerId != null) {
            say("peer: introduction requested for " + HexFormat.of().formatHex(peerId));
            try {
                PeerSession session = await(client.connectToPeer(peerId), timeout.plusSeconds(1));
                say("peer: answered from " + show(session.address()) + "; direct session open");
            } catch (TimeoutException e) {
                return new Outcome(PEER_NOT_REACHED, "peer not reached: no answer within " + seconds(timeout));
            } catch (RtmfpException e) {
                return new Outcome(PEER_NOT_REACHED, "peer not reached: " + e.getMessage());
            } catch (Exception e) {
                return new Outcome(PEER_NOT_REACHED, "peer not reached: " + e);
            }
        }
        return new Outcome(OK, null);
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout) throws Exception {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    private static String describe(Map<String, Object> info) {
        StringBuilder text = new StringBuilder();
        if (info.get("description") != null) {
            text.append(" (").append(info.get("description")).append(')');
        }
        if (info.get("connectionID") != null) {
            text.append(", connection ID ").append(info.get("connectionID"));
        }
        return text.toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** {@code 127.0.0.1:1935} rather than {@code /127.0.0.1:1935}. */
    private static String show(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static String show(List<InetSocketAddress> addresses) {
        return addresses.stream().map(ProbeCommand::show).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Prints the handshake steps as the client reports them. */
    private final class Steps implements ClientListener {
        @Override
        public void onHelloSent(Initiator handshake, InetSocketAddress to, int attempt) {
            String what = handshake.isByFingerprint() ? "peer: IHello for the peer ID" : "handshake: IHello";
            say(what + (attempt == 1 ? " sent to " : " sent again to ") + show(to) + (attempt == 1 ? "" : " (attempt " + attempt + ")"));
        }

        @Override
        public void onResponderHello(Initiator handshake, InetSocketAddress from, Certificate certificate) {
            if (handshake.isByFingerprint()) {
                say("peer: the peer answered (RHello) from " + show(from));
                return;
            }
            say("handshake: RHello from " + show(from));
            say("  server fingerprint: " + hex(certificate.fingerprint()));
            say("  server certificate: " + certificate.length() + " bytes, "
                    + (certificate.acceptsAncillaryData() ? "accepts ancillary data, " : "")
                    + (certificate.isStatic() ? "static keys" : "ephemeral groups "
                    + certificate.supportedGroups().stream().map(g -> String.valueOf(g.id())).collect(Collectors.joining(", "))));
        }

        @Override
        public void onRedirect(Initiator handshake, InetSocketAddress from, List<InetSocketAddress> addresses) {
            say((handshake.isByFingerprint() ? "peer: " : "handshake: ") + show(from) + " redirects to " + show(addresses));
        }

        @Override
        public void onHandshakeOpened(Initiator handshake, Initiator.Opened opened) {
            String who = handshake.isByFingerprint() ? "peer: session open with " + hex(opened.responderCertificate().fingerprint())
                    : "handshake: session open";
            say(who + String.format(" (near ID %08x, far ID %08x, DH group %d, %s)", opened.nearId(), opened.farId(),
                    opened.group().id(), protection(opened)));
        }

        private String protection(Initiator.Opened opened) {
            KeyingComponent.Hmac nearHmac = opened.skic().hmac();
            KeyingComponent.Hmac farHmac = opened.skrc().hmac();
            boolean sendHmac = Negotiation.nearSends(nearHmac.negotiation(), farHmac.negotiation());
            boolean checkHmac = Negotiation.nearChecks(nearHmac.negotiation(), farHmac.negotiation());
            boolean sendSseq = opened.cipher().sendsSequenceNumbers();
            boolean checkSseq = opened.cipher().receivesSequenceNumbers();
            String hmac = sendHmac || checkHmac
                    ? "HMAC " + (sendHmac ? "sent (" + nearHmac.length() + " bytes)" : "not sent") + ", "
                    + (checkHmac ? "checked (" + farHmac.length() + " bytes)" : "not checked")
                    : "no HMAC";
            String sseq = sendSseq || checkSseq ? "sequence numbers " + (sendSseq ? "sent" : "not sent") + "/"
                    + (checkSseq ? "checked" : "not checked") : "no sequence numbers";
            return hmac + ", " + sseq;
        }
    }
}
