package org.rtmfpd.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.registry.MemoryNameStoreTest.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rtmfpd.rendezvous.DeveloperKey;
import org.rtmfpd.rendezvous.PeerId;

/** The registry's HTTP layer, bytes in and bytes out, without sockets and without sleeping. */
class RegistryHttpTest {
    static final long DEADLINE = 10_000;
    static final PeerId A = peer(0xa1);
    final AtomicLong clock = new AtomicLong();
    final List<RegistryEvent> events = new ArrayList<>();
    final RegistryService service = new RegistryService(
            k -> k.equals("key1") ? Optional.of(DeveloperKey.of(k)) : Optional.empty(),
            new MemoryNameStore(RegistrySettings.DEFAULT_EXPIRY_MS), (k, p) -> java.util.concurrent.CompletableFuture.completedFuture(p.equals(A)), false, clock::get,
            CrossDomainPolicy.render(CrossDomainPolicy.ALLOW_ALL));
    final List<EmbeddedChannel> channels = new ArrayList<>();

    EmbeddedChannel channel(ConnectionLimit limit) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        RegistryServer.pipeline(ch.pipeline(), limit, service, DEADLINE, events::add);
        ch.pipeline().fireChannelActive();
        channels.add(ch);
        return ch;
    }

    EmbeddedChannel channel() {
        return channel(new ConnectionLimit(10, events::add));
    }

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    static String send(EmbeddedChannel ch, String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        return read(ch);
    }

    static String read(EmbeddedChannel ch) {
        ch.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out.toString();
    }

    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: registry.example.com\r\n\r\n";
    }

    @Test
    void registerAnswerByteForByteOnAKeptAliveConnection() {
        EmbeddedChannel ch = channel();
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<result><update>true</update></result>\n";
        assertEquals("HTTP/1.1 200 OK\r\n"
                + "content-type: text/xml; charset=utf-8\r\n"
                + "content-length: " + body.length() + "\r\n"
                + "cache-control: no-store\r\n"
                + "\r\n" + body, send(ch, get("/key1/reg.cgi?username=alice&identity=" + A.toHex())));
        assertTrue(ch.isActive(), "kept alive");
        String lookup = send(ch, get("/key1/reg.cgi?friends=alice&time=1700000000000"));
        assertTrue(lookup.endsWith("\r\n\r\n<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<result><friend><user>alice"
                + "</user><identity>" + A.toHex() + "</identity></friend></result>\n"), lookup);
    }

    @Test
    void refusedRegisterSaysWhyInAHeader() {
        String r = send(channel(), get("/key1?username=bob&identity=" + peer(2).toHex()));
        assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
        assertTrue(r.contains("x-rtmfpd-refused: registry_not_connected\r\n"), r);
        assertTrue(r.endsWith("<result><update>false</update></result>\n"), r);
    }

    @Test
    void crossDomainPolicyIsServed() {
        String r = send(channel(), get("/crossdomain.xml"));
        assertTrue(r.startsWith("HTTP/1.1 200 OK\r\ncontent-type: text/x-cross-domain-policy\r\n"), r);
        assertTrue(r.contains("<allow-access-from domain=\"*\" secure=\"false\"/>"), r);
    }

    @Test
    void errorsAreShortTextAndClose() {
        EmbeddedChannel ch = channel();
        String r = send(ch, get("/key1?username=alice"));
        assertTrue(r.startsWith("HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\n"), r);
        assertTrue(r.contains("connection: close\r\n"), r);
        assertTrue(r.endsWith("\r\n\r\nrtmfpd name registry: missing parameter identity: give the peer ID (64 hex"
                + " digits, NetConnection.nearID) to register, or 0 to unregister\n"), r);
        assertFalse(ch.isActive());
    }

    @Test
    void unknownKeyIs404() {
        String r = send(channel(), get("/other/reg.cgi?friends=alice"));
        assertTrue(r.startsWith("HTTP/1.1 404 Not Found\r\n"), r);
        assertTrue(r.endsWith("unknown developer key; use the key of your rtmfp:// URL as the first path segment\n"));
        assertFalse(r.contains("other"), "the key is not echoed");
    }

    @Test
    void onlyGet() {
        String r = send(channel(), "POST /key1 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        assertTrue(r.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), r);
        assertTrue(r.contains("allow: GET\r\n"), r);
    }

    @Test
    void badPercentEncodingIs400() {
        String r = send(channel(), get("/key1?friends=%E0%A4%A"));
        assertTrue(r.startsWith("HTTP/1.1 400 Bad Request\r\n"), r);
        assertTrue(r.endsWith("the URL is not well percent-encoded\n"), r);
    }

    @Test
    void overLongRequestLineIs414() {
        EmbeddedChannel ch = channel();
        String r = send(ch, get("/key1?friends=" + "x".repeat(RegistryServer.MAX_LINE_BYTES)));
        assertTrue(r.startsWith("HTTP/1.1 414 Request-URI Too Long\r\n"), r);
        assertTrue(r.endsWith("the request line is too long (at most 4096 bytes)\n"), r);
        assertFalse(ch.isActive());
        assertTrue(events.contains(RegistryEvent.TOO_LARGE));
    }

    @Test
    void overLargeHeadersAre431() {
        String r = send(channel(), "GET /key1?friends=a HTTP/1.1\r\nX-Big: " + "y".repeat(RegistryServer.MAX_HEADER_BYTES)
                + "\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"), r);
    }

    @Test
    void overLargeBodyIs413() {
        String r = send(channel(), "GET /key1?friends=a HTTP/1.1\r\nContent-Length: " + (RegistryServer.MAX_BODY_BYTES + 1)
                + "\r\n\r\n" + "z".repeat(RegistryServer.MAX_BODY_BYTES + 1));
        assertTrue(r.startsWith("HTTP/1.1 413 Request Entity Too Large\r\n"), r);
    }

    @Test
    void slowClientGets408AtTheDeadline() {
        EmbeddedChannel ch = channel();
        assertEquals("", send(ch, "GET /key1?friends=alice HTTP/1.1\r\nHost: a"));
        ch.advanceTimeBy(DEADLINE - 1, TimeUnit.MILLISECONDS);
        assertEquals("", read(ch));
        assertTrue(ch.isActive());
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        String r = read(ch);
        assertTrue(r.startsWith("HTTP/1.1 408 Request Timeout\r\n"), r);
        assertFalse(ch.isActive());
        assertTrue(events.contains(RegistryEvent.TIMEOUT));
    }

    @Test
    void deadlineStartsAgainAfterEachAnswer() {
        EmbeddedChannel ch = channel();
        ch.advanceTimeBy(DEADLINE - 1, TimeUnit.MILLISECONDS);
        assertTrue(send(ch, get("/key1?friends=alice")).startsWith("HTTP/1.1 200 OK"));
        ch.advanceTimeBy(DEADLINE - 1, TimeUnit.MILLISECONDS);
        assertEquals("", read(ch));
        assertTrue(ch.isActive(), "a fresh deadline after the answer");
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        assertTrue(read(ch).startsWith("HTTP/1.1 408"));
    }

    @Test
    void connectionPastTheCapIs503AndClosedAndItsSlotFreesOnClose() {
        ConnectionLimit limit = new ConnectionLimit(2, events::add);
        EmbeddedChannel first = channel(limit);
        channel(limit);
        EmbeddedChannel third = channel(limit);
        String r = read(third);
        assertTrue(r.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), r);
        assertTrue(r.endsWith("\r\n\r\nrtmfpd name registry: too many connections; try again soon\n"), r);
        int length = Integer.parseInt(r.replaceAll("(?s).*Content-Length: (\\d+)\r\n.*", "$1"));
        assertEquals(r.length() - r.indexOf("\r\n\r\n") - 4, length, "Content-Length matches the body");
        assertFalse(third.isActive());
        assertEquals(List.of(RegistryEvent.TOO_MANY_CONNECTIONS), events);
        assertEquals(2, limit.open());
        first.close();
        assertEquals(1, limit.open());
        assertTrue(send(channel(limit), get("/key1?friends=a")).startsWith("HTTP/1.1 200 OK"));
        assertNull(third.readInbound());
    }
}
