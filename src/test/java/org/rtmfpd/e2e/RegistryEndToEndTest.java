package org.rtmfpd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtmfpd.client.PeerSession;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.registry.RegistrySettings;
import org.rtmfpd.config.ServerConfig;

/**
 * The Stratus sample's flow over 127.0.0.1: clients connect with a key, register their user names with
 * their peer IDs at the HTTP name registry, look each other up there, and meet by the peer ID found.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RegistryEndToEndTest {
    private static final long WAIT = 15;
    private static final Pattern IDENTITY = Pattern.compile("<identity>([0-9a-f]{64})</identity>");

    @TempDir
    Path dir;
    TestServer server;
    String registry;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final List<RtmfpClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ServerConfig.Builder b = ServerConfig.builder();
        b.registry(RegistrySettings.DEFAULTS.withListen(java.util.Optional.of(new InetSocketAddress("127.0.0.1", 0))));
        server = new TestServer(dir, b);
        InetSocketAddress a = server.server.registryAddress().orElseThrow();
        registry = "http://127.0.0.1:" + a.getPort();
    }

    @AfterEach
    void stop() {
        clients.forEach(RtmfpClient::close);
        server.close();
    }

    private RtmfpClient connected(String key) throws Exception {
        return server.connected(key, Duration.ofSeconds(10), clients);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(registry + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String register(String key, String user, RtmfpClient c) throws Exception {
        HttpResponse<String> r = get("/" + key + "/reg.cgi?username=" + user + "&identity="
                + c.identity().peerIdHex());
        assertEquals(200, r.statusCode());
        assertEquals("text/xml; charset=utf-8", r.headers().firstValue("content-type").orElseThrow());
        return r.body();
    }

    private String lookUp(String key, String user) throws Exception {
        HttpResponse<String> r = get("/" + key + "/reg.cgi?friends=" + user + "&time=" + System.currentTimeMillis());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static String identityIn(String body) {
        Matcher m = IDENTITY.matcher(body);
        assertTrue(m.find(), body);
        return m.group(1);
    }

    @Test
    void twoClientsOfOneKeyFindEachOtherByNameAndMeetAThirdOfAnotherKeySeesNeither() throws Exception {
        RtmfpClient alice = connected(TestServer.KEY_A);
        RtmfpClient bob = connected(TestServer.KEY_A);
        RtmfpClient eve = connected(TestServer.KEY_B);
        String updated = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<result><update>true</update></result>\n";
        assertEquals(updated, register(TestServer.KEY_A, "alice", alice));
        assertEquals(updated, register(TestServer.KEY_A, "bob", bob));

        String bobFound = lookUp(TestServer.KEY_A, "Bob");
        assertEquals("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<result><friend><user>Bob</user><identity>"
                + bob.identity().peerIdHex() + "</identity></friend></result>\n", bobFound);
        String aliceFound = lookUp(TestServer.KEY_A, "alice");
        assertEquals(alice.identity().peerIdHex(), identityIn(aliceFound));

        PeerSession session = alice.connectToPeer(HexFormat.of().parseHex(identityIn(bobFound)))
                .get(WAIT, TimeUnit.SECONDS);
        assertEquals(bob.identity().peerIdHex(), session.peerIdHex());
        PeerSession back = bob.connectToPeer(HexFormat.of().parseHex(identityIn(aliceFound)))
                .get(WAIT, TimeUnit.SECONDS);
        assertEquals(alice.identity().peerIdHex(), back.peerIdHex());

        for (String name : List.of("alice", "bob")) {
            assertEquals("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<result><friend><user>" + name
                    + "</user></friend></result>\n", lookUp(TestServer.KEY_B, name), "another key sees neither");
        }
        assertEquals("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<result><update>false</update></result>\n",
                register(TestServer.KEY_B, "mallory", alice), "alice is not connected with key B");
        assertEquals(updated, register(TestServer.KEY_B, "eve", eve));
        assertTrue(server.server.metrics().render().contains("rtmfpd_registry_names 3"));
    }

    @Test
    void aNameFollowsItsPeerOut() throws Exception {
        RtmfpClient alice = connected(TestServer.KEY_A);
        RtmfpClient other = connected(TestServer.KEY_A);
        register(TestServer.KEY_A, "alice", alice);
        assertTrue(register(TestServer.KEY_A, "alice", other).contains("<update>false</update>"), "held");
        alice.close();
        assertTrue(TestServer.eventually(() -> server.server.metrics().render()
                .contains("rtmfpd_sessions_closed_total 1")));
        assertTrue(!lookUp(TestServer.KEY_A, "alice").contains("<identity>"), "its peer left");
        assertTrue(register(TestServer.KEY_A, "alice", other).contains("<update>true</update>"), "free again");
    }

    @Test
    void crossDomainPolicyAndUnknownKey() throws Exception {
        HttpResponse<String> policy = get("/crossdomain.xml");
        assertEquals(200, policy.statusCode());
        assertTrue(policy.body().contains("<allow-access-from domain=\"*\" secure=\"false\"/>"), policy.body());
        assertEquals(404, get("/no-such-key/reg.cgi?friends=alice").statusCode());
    }
}
