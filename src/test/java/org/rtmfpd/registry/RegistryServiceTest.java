package org.rtmfpd.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtmfpd.registry.MemoryNameStoreTest.peer;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rtmfpd.rendezvous.DeveloperKey;
import org.rtmfpd.rendezvous.PeerId;

/**
 * The registry's answers, byte for byte, along the code paths of the Stratus sample's HttpIdManager.as:
 * register (username, identity), refresh (the same plus time, every 30 minutes), look up (friends,
 * time) and unregister (username, identity=0).
 */
class RegistryServiceTest {
    static final String DECL = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    static final String UPDATE_TRUE = DECL + "<result><update>true</update></result>\n";
    static final String UPDATE_FALSE = DECL + "<result><update>false</update></result>\n";
    static final long EXPIRY = RegistrySettings.DEFAULT_EXPIRY_MS;
    static final PeerId A = peer(0xa1);
    static final PeerId B = peer(0xb2);

    final AtomicLong clock = new AtomicLong(1_000_000);
    final Set<String> connected = new HashSet<>();
    final MemoryNameStore store = new MemoryNameStore(EXPIRY);

    RegistryService service(boolean open) {
        return new RegistryService(k -> k.startsWith("key") ? Optional.of(DeveloperKey.of(k)) : Optional.empty(),
                store, (k, p) -> java.util.concurrent.CompletableFuture.completedFuture(connected.contains(k + "/" + p.toHex())), open, clock::get,
                CrossDomainPolicy.render(CrossDomainPolicy.ALLOW_ALL));
    }

    final RegistryService service = service(false);

    void connect(String key, PeerId p) {
        connected.add(key + "/" + p.toHex());
    }

    void disconnect(String key, PeerId p) {
        connected.remove(key + "/" + p.toHex());
    }

    static RegistryAnswer get(RegistryService s, String uri) {
        QueryStringDecoder q = new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, 32);
        return s.answer(q.path(), q.parameters()).toCompletableFuture().join();
    }

    RegistryAnswer get(String uri) {
        return get(service, uri);
    }

    static String found(String user, PeerId p) {
        return DECL + "<result><friend><user>" + user + "</user><identity>" + p.toHex()
                + "</identity></friend></result>\n";
    }

    static String missing(String user) {
        return DECL + "<result><friend><user>" + user + "</user></friend></result>\n";
    }

    private static void assertXml(String expected, RegistryAnswer a) {
        assertEquals(200, a.status());
        assertEquals("text/xml; charset=utf-8", a.contentType());
        assertEquals(expected, a.body());
    }

    @Test
    void sampleCodePathsRegisterRefreshLookUpUnregister() {
        connect("key1", A);
        // doRegister: request.username, request.identity
        assertXml(UPDATE_TRUE, get("/key1/reg.cgi?username=alice&identity=" + A.toHex()));
        // doLookup: request.friends, request.time
        assertXml(found("alice", A), get("/key1/reg.cgi?friends=alice&time=1234567890123"));
        // onConnectionTimer, 30 minutes later: username, identity, time
        clock.addAndGet(30 * 60_000);
        RegistryAnswer refresh = get("/key1/reg.cgi?username=alice&identity=" + A.toHex() + "&time=1234569690123");
        assertXml(UPDATE_TRUE, refresh);
        assertEquals(List.of(RegistryEvent.REFRESHED), refresh.events());
        clock.addAndGet(30 * 60_000);
        assertXml(found("alice", A), get("/key1/reg.cgi?friends=alice&time=1"), "kept alive by the refresh");
        // doUnregister: username, identity=0; done after the peer's NetConnection closes
        disconnect("key1", A);
        assertXml(UPDATE_TRUE, get("/key1/reg.cgi?username=alice&identity=0"));
        connect("key1", A);
        assertXml(missing("alice"), get("/key1/reg.cgi?friends=alice&time=2"));
    }

    private static void assertXml(String expected, RegistryAnswer a, String why) {
        assertEquals(200, a.status(), why);
        assertEquals(expected, a.body(), why);
    }

    @Test
    void namesCompareIgnoringCaseAndAnswersEchoTheNameAsAsked() {
        connect("key1", A);
        get("/key1?username=Alice&identity=" + A.toHex());
        assertXml(found("ALICE", A), get("/key1?friends=ALICE"));
    }

    @Test
    void unknownOrExpiredNameHasNoIdentityElement() {
        connect("key1", A);
        assertXml(missing("bob"), get("/key1?friends=bob&time=5"));
        get("/key1?username=alice&identity=" + A.toHex());
        clock.addAndGet(EXPIRY);
        assertXml(found("alice", A), get("/key1?friends=alice"));
        clock.addAndGet(1);
        assertXml(missing("alice"), get("/key1?friends=alice"), "expired");
    }

    @Test
    void namesOfOneKeyAreInvisibleToAnotherAndTheKeyIsTheFirstPathSegment() {
        connect("key1", A);
        connect("key2", B);
        assertXml(UPDATE_TRUE, get("/key1/cgi-bin/reg.cgi?username=alice&identity=" + A.toHex()));
        assertXml(missing("alice"), get("/key2?friends=alice"));
        assertXml(found("alice", A), get("/key1/?friends=alice"));
        assertXml(found("alice", A), get("/key1?friends=alice"));
    }

    @Test
    void onlyConnectedPeersRegisterAndOnlyUnderTheirOwnKey() {
        connect("key2", A);
        RegistryAnswer a = get("/key1?username=alice&identity=" + A.toHex());
        assertXml(UPDATE_FALSE, a);
        assertEquals(Optional.of("registry_not_connected"), a.refusal());
        connect("key1", A);
        assertXml(UPDATE_TRUE, get("/key1?username=alice&identity=" + A.toHex()));
    }

    @Test
    void aConnectedHoldersNameIsKeptTillItLeavesOrExpires() {
        connect("key1", A);
        connect("key1", B);
        get("/key1?username=alice&identity=" + A.toHex());
        RegistryAnswer taken = get("/key1?username=ALICE&identity=" + B.toHex());
        assertXml(UPDATE_FALSE, taken);
        assertEquals(Optional.of("registry_name_held"), taken.refusal());
        assertXml(UPDATE_TRUE, get("/key1?username=alice&identity=0"), "unregister answers as the original");
        assertEquals(List.of(RegistryEvent.UNREGISTER_DEFERRED),
                get("/key1?username=alice&identity=0").events());
        assertXml(found("alice", A), get("/key1?friends=alice"), "an unregister by anyone does not free it");
        disconnect("key1", A);
        assertXml(missing("alice"), get("/key1?friends=alice"), "the holder left: not shown");
        RegistryAnswer over = get("/key1?username=alice&identity=" + B.toHex());
        assertXml(UPDATE_TRUE, over);
        assertEquals(List.of(RegistryEvent.TAKEN_OVER), over.events());
        assertXml(found("alice", B), get("/key1?friends=alice"));
    }

    @Test
    void expiredNameIsFreeEvenWhileItsPeerIsConnected() {
        connect("key1", A);
        connect("key1", B);
        get("/key1?username=alice&identity=" + A.toHex());
        clock.addAndGet(EXPIRY + 1);
        assertXml(UPDATE_TRUE, get("/key1?username=alice&identity=" + B.toHex()));
        assertXml(found("alice", B), get("/key1?friends=alice"));
    }

    @Test
    void openRegistryTakesAnyIdentityAndShowsEveryLiveName() {
        RegistryService open = service(true);
        assertXml(UPDATE_TRUE, get(open, "/key1?username=alice&identity=" + A.toHex()));
        assertXml(found("alice", A), get(open, "/key1?friends=alice"));
        assertXml(UPDATE_TRUE, get(open, "/key1?username=alice&identity=" + B.toHex()),
                "a holder that is not connected here can be replaced, as in the original");
        connect("key1", B);
        assertXml(UPDATE_FALSE, get(open, "/key1?username=alice&identity=" + A.toHex()),
                "but a connected holder keeps its name");
    }

    @Test
    void registerAndLookUpInOneRequestAnswerInOneResult() {
        connect("key1", A);
        connect("key1", B);
        get("/key1?username=bob&identity=" + B.toHex());
        assertXml(DECL + "<result><update>true</update><friend><user>bob</user><identity>" + B.toHex()
                        + "</identity></friend><friend><user>carol</user></friend></result>\n",
                get("/key1?username=alice&identity=" + A.toHex() + "&friends=bob&friends=carol"));
    }

    @Test
    void namesAreEscapedInAnswers() {
        assertXml(missing("a&amp;b&lt;c&gt;&quot;d&apos;é"), get("/key1?friends=a%26b%3Cc%3E%22d'%C3%A9"));
    }

    @Test
    void upperCaseIdentityIsAnsweredInLowerCase() {
        connect("key1", A);
        get("/key1?username=alice&identity=" + A.toHex().toUpperCase());
        assertXml(found("alice", A), get("/key1?friends=alice"));
    }

    @Test
    void badRequestsGetA4xxWithATextBody() {
        assertBad(400, "missing parameters", get("/key1"));
        assertBad(400, "missing parameters", get("/key1?time=5"));
        assertBad(400, "missing parameter identity", get("/key1?username=alice"));
        assertBad(400, "missing parameter identity", get("/key1?username=alice&identity="));
        assertBad(400, "missing parameter username", get("/key1?identity=" + A.toHex()));
        assertBad(400, "username: the user name is empty", get("/key1?username=&identity=" + A.toHex()));
        assertBad(400, "65 characters long", get("/key1?username=" + "x".repeat(65) + "&identity=" + A.toHex()));
        assertBad(400, "65 characters long", get("/key1?friends=" + "x".repeat(65)));
        assertBad(400, "control characters", get("/key1?friends=a%0Ab"));
        assertBad(400, "identity must be a peer ID", get("/key1?username=a&identity=" + "g".repeat(64)));
        assertBad(400, "identity must be a peer ID", get("/key1?username=a&identity=abc"));
        assertBad(400, "once each", get("/key1?username=a&username=b&identity=0"));
        assertBad(400, "at most 16 friends", get("/key1" + "?friends=a".repeat(1) + "&friends=a".repeat(16)));
        assertBad(404, "unknown developer key", get("/nokey?friends=alice"));
        assertBad(404, "put the developer key in the path", get("/?friends=alice"));
        assertEquals(0, store.size());
    }

    private static void assertBad(int status, String text, RegistryAnswer a) {
        assertEquals(status, a.status(), a.body());
        assertEquals("text/plain; charset=utf-8", a.contentType());
        assertTrue(a.body().startsWith("rtmfpd name registry: "), a.body());
        assertTrue(a.body().contains(text), a.body());
        assertTrue(a.body().endsWith("\n") && a.body().indexOf('\n') == a.body().length() - 1, "one line");
        assertTrue(a.events().get(0).refusal());
    }

    @Test
    void crossDomainPolicyAllowsAllByDefault() {
        RegistryAnswer a = get("/crossdomain.xml");
        assertEquals(200, a.status());
        assertEquals("text/x-cross-domain-policy", a.contentType());
        assertEquals(DECL
                + "<!DOCTYPE cross-domain-policy SYSTEM \"http://www.adobe.com/xml/dtds/cross-domain-policy.dtd\">\n"
                + "<cross-domain-policy>\n"
                + "  <site-control permitted-cross-domain-policies=\"master-only\"/>\n"
                + "  <allow-access-from domain=\"*\" secure=\"false\"/>\n"
                + "</cross-domain-policy>\n", a.body());
    }

    @Test
    void crossDomainPolicyListsTheOperatorsDomainsAndRefusesOthers() {
        String p = CrossDomainPolicy.render(List.of("example.com", "*.example.org", "192.0.2.7"));
        assertTrue(p.contains("  <allow-access-from domain=\"example.com\" secure=\"false\"/>\n"
                + "  <allow-access-from domain=\"*.example.org\" secure=\"false\"/>\n"
                + "  <allow-access-from domain=\"192.0.2.7\" secure=\"false\"/>\n"), p);
        assertFalse(p.contains("domain=\"*\""));
        for (String bad : List.of("exa mple.com", "a\"b", "http://example.com", "*.*", "")) {
            assertTrue(CrossDomainPolicy.problem(bad) != null, bad);
        }
    }

    @Test
    void aFailingStoreIsAnswered503() {
        NameStore broken = new NameStore() {
            private <T> java.util.concurrent.CompletionStage<T> down() {
                return CompletableFuture.failedFuture(new IllegalStateException("down"));
            }

            @Override
            public java.util.concurrent.CompletionStage<Registration> register(String k, UserName n, PeerId p, long t) {
                return down();
            }

            @Override
            public java.util.concurrent.CompletionStage<Boolean> takeOver(String k, UserName n, PeerId h, PeerId p,
                    long t) {
                return down();
            }

            @Override
            public java.util.concurrent.CompletionStage<Optional<Binding>> lookup(String k, UserName n, long t) {
                return down();
            }

            @Override
            public java.util.concurrent.CompletionStage<Boolean> unregister(String k, UserName n, PeerId h, long t) {
                return down();
            }

            @Override
            public java.util.concurrent.CompletionStage<Integer> sweep(long t) {
                return down();
            }

            @Override
            public int size() {
                return 0;
            }
        };
        RegistryService s = new RegistryService(k -> Optional.of(DeveloperKey.of(k)), broken, (k, p) -> java.util.concurrent.CompletableFuture.completedFuture(true), false,
                clock::get, "");
        for (String uri : List.of("/key1?friends=alice", "/key1?username=a&identity=" + A.toHex(),
                "/key1?username=a&identity=0")) {
            RegistryAnswer a = get(s, uri);
            assertEquals(503, a.status(), uri);
            assertEquals(List.of(RegistryEvent.STORE_FAILED), a.events(), uri);
        }
    }
}
