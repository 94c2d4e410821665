package org.rtmfpd.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.rtmfpd.nat.NatTestAnswers;
import org.rtmfpd.nat.StunAttributes;
import org.rtmfpd.nat.StunException;
import org.rtmfpd.nat.StunMessage;

/**
 * Runs RFC 5780's NAT behaviour tests from one UDP socket against a STUN server and returns their
 * answers: test I, then the filtering tests (§4.4) before the mapping tests (§4.3), whose requests to
 * the second address would otherwise open the filter that the filtering tests look at; then
 * hairpinning (§4.5), a request to the socket's own mapped address. Blocking; each request is sent
 * again after 200, 600 and 1400 ms and given up 2.2 s after the first send.
 */
public final class NatProbe {
    /** When each request is sent, in milliseconds after the first; the last entry is when it is given up. */
    static final long[] SEND_AT_MILLIS = {0, 200, 600, 1400, 2200};
    static final String SOFTWARE = "rtmfpd probe";
    private static final int MAX_DATAGRAM = 2048;

    private final DatagramSocket socket;
    private final SecureRandom random = new SecureRandom();
    private final Consumer<String> steps;

    /** @param steps told each test and its answer, as a line */
    public NatProbe(DatagramSocket socket, Consumer<String> steps) {
        this.socket = socket;
        this.steps = steps;
    }

    /** One Binding answer: where it came from and what it said. */
    record Answer(InetSocketAddress source, InetSocketAddress mapped, Optional<InetSocketAddress> otherAddress) {
    }

    /** Runs the tests against {@code server} (IP1:PORT1). */
    public NatTestAnswers run(InetSocketAddress server) {
        InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
        Optional<Answer> first = binding(server, 0, "test I: Binding to " + show(server));
        if (first.isEmpty()) {
            return NatTestAnswers.unanswered(local);
        }
        InetSocketAddress mapped = first.get().mapped();
        Optional<InetSocketAddress> other = first.get().otherAddress();
        Optional<Boolean> changeBoth = Optional.empty();
        Optional<Boolean> changePort = Optional.empty();
        Optional<InetSocketAddress> viaIp2 = Optional.empty();
        Optional<InetSocketAddress> viaBoth = Optional.empty();
        if (other.isPresent()) {
            changeBoth = Optional.of(binding(server, StunAttributes.CHANGE_IP | StunAttributes.CHANGE_PORT,
                    "filtering test II: change IP and port").isPresent());
            if (!changeBoth.get()) {
                changePort = Optional.of(binding(server, StunAttributes.CHANGE_PORT,
                        "filtering test III: change port").isPresent());
            }
            InetSocketAddress ip2Port1 = new InetSocketAddress(other.get().getAddress(), server.getPort());
            viaIp2 = binding(ip2Port1, 0, "mapping test II: Binding to " + show(ip2Port1)).map(Answer::mapped);
            if (viaIp2.isPresent() && !viaIp2.get().equals(mapped)) {
                viaBoth = binding(other.get(), 0, "mapping test III: Binding to " + show(other.get())).map(Answer::mapped);
            }
        } else {
            steps.accept("the server sent no OTHER-ADDRESS: it has no second address (stun-alternate), so mapping"
                    + " and filtering cannot be tested");
        }
        Optional<Boolean> hairpin = Optional.of(hairpin(mapped));
        return new NatTestAnswers(local, Optional.of(mapped), other, viaIp2, viaBoth, changeBoth, changePort, hairpin);
    }

    private Optional<Answer> binding(InetSocketAddress to, int changeFlags, String what) {
        List<StunMessage.Attribute> attributes = new ArrayList<>();
        if (changeFlags != 0) {
            attributes.add(StunAttributes.changeRequest(changeFlags));
        }
        attributes.add(StunAttributes.software(SOFTWARE));
        byte[] tid = transactionId();
        StunMessage request = new StunMessage(StunMessage.BINDING_REQUEST, tid, attributes);
        Optional<Answer> answer = transact(to, request, m -> m.type() == StunMessage.BINDING_SUCCESS).flatMap(r -> {
            try {
                var xor = r.message().attribute(StunAttributes.XOR_MAPPED_ADDRESS);
                if (xor.isEmpty()) {
                    return Optional.empty();
                }
                InetSocketAddress mapped = StunAttributes.readAddress(xor.get().value(), tid);
                var other = r.message().attribute(StunAttributes.OTHER_ADDRESS);
                Optional<InetSocketAddress> otherAddress = other.isEmpty() ? Optional.empty()
                        : Optional.of(StunAttributes.readAddress(other.get().value(), null));
                return Optional.of(new Answer(r.source(), mapped, otherAddress));
            } catch (StunException e) {
                return Optional.empty();
            }
        });
        steps.accept(what + ": " + answer.map(a -> "mapped " + show(a.mapped()) + " (answered from " + show(a.source())
                + ")").orElse("no answer"));
        return answer;
    }

    /** Whether a Binding request sent to {@code mapped}, this socket's own public address, comes back to it. */
    private boolean hairpin(InetSocketAddress mapped) {
        byte[] tid = transactionId();
        StunMessage request = new StunMessage(StunMessage.BINDING_REQUEST, tid, List.of(StunAttributes.software(SOFTWARE)));
        boolean back = transact(mapped, request, m -> m.type() == StunMessage.BINDING_REQUEST).isPresent();
        steps.accept("hairpinning: a request to " + show(mapped) + (back ? " came back" : " did not come back"));
        return back;
    }

    private record Received(InetSocketAddress source, StunMessage message) {
    }

    /** Sends {@code request} on the schedule and waits for a message of its transaction that {@code wanted} accepts. */
    private Optional<Received> transact(InetSocketAddress to, StunMessage request,
            java.util.function.Predicate<StunMessage> wanted) {
        byte[] bytes = request.encode();
        long start = System.nanoTime();
        byte[] buffer = new byte[MAX_DATAGRAM];
        try {
            for (int i = 0; i + 1 < SEND_AT_MILLIS.length; i++) {
                socket.send(new DatagramPacket(bytes, bytes.length, to));
                long until = start + SEND_AT_MILLIS[i + 1] * 1_000_000;
                for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
                    socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(packet);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    try {
                        StunMessage m = StunMessage.decode(Arrays.copyOf(packet.getData(), packet.getLength()));
                        if (Arrays.equals(m.transactionId(), request.transactionId()) && wanted.test(m)) {
                            return Optional.of(new Received((InetSocketAddress) packet.getSocketAddress(), m));
                        }
                    } catch (StunException e) {
                        // not an answer to this request: keep waiting
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("STUN to " + show(to) + " failed: " + e.getMessage(), e);
        }
        return Optional.empty();
    }

    private byte[] transactionId() {
        byte[] tid = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        random.nextBytes(tid);
        return tid;
    }

    static String show(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
