package org.rtmfpd.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rtmfpd.log.LogCapture;
import org.rtmfpd.rendezvous.DeveloperKey;

class NetConnectionServiceTest {
    private static final String KEYS = String.join("\n",
            "secret-key-1",
            "labelled-secret label=chat",
            "limited-secret max-sessions=1");

    private final FlashHarness harness = new FlashHarness(KEYS);

    private static Object info(Command reply, String name) {
        return ((Map<?, ?>) reply.arguments().get(0)).get(name);
    }

    @Test
    void aClientWithAKnownKeyConnects() {
        FlashHarness.TestClient client = harness.client("192.0.2.10", 5000, 1);
        client.connect("secret-key-1");
        assertEquals(CommandReplies.RESULT, client.lastReply().name());
        assertEquals(CommandReplies.CONNECT_SUCCESS, info(client.lastReply(), "code"));
        assertEquals(1, harness.rendezvous.registry().size());
        assertEquals(1, harness.counted("connect"));
    }

    // ---- developer keys never reach the log ---------------------------------------------------

    @Test
    void anUnlabelledKeyIsLoggedByItsHash() {
        try (LogCapture log = LogCapture.debug(NetConnectionService.class)) {
            harness.client("192.0.2.10", 5000, 1).connect("secret-key-1");
            assertTrue(log.text().contains("connected with developer key " + DeveloperKey.logNameOf("secret-key-1")),
                    log.text());
            assertFalse(log.text().contains("secret-key-1"), log.text());
        }
    }

    @Test
    void aLabelledKeyIsLoggedByItsLabel() {
        try (LogCapture log = LogCapture.debug(NetConnectionService.class)) {
            harness.client("192.0.2.10", 5000, 1).connect("labelled-secret");
            assertTrue(log.text().contains("connected with developer key chat"), log.text());
            assertFalse(log.text().contains("labelled-secret"), log.text());
        }
    }

    @Test
    void anUnknownKeyIsToldToTheClientButNotLogged() {
        try (LogCapture log = LogCapture.debug(NetConnectionService.class)) {
            FlashHarness.TestClient client = harness.client("192.0.2.10", 5000, 1);
            client.connect("guessed-secret");
            assertEquals(CommandReplies.ERROR, client.lastReply().name());
            assertEquals(CommandReplies.CONNECT_REJECTED, info(client.lastReply(), "code"));
            assertEquals("Developer key 'guessed-secret' is not known to this server.", client.lastDescription());
            assertTrue(log.text().contains("connect rejected: unknown developer key "
                    + DeveloperKey.logNameOf("guessed-secret")), log.text());
            assertFalse(log.text().contains("guessed-secret"), log.text());
        }
    }

    @Test
    void theMaxSessionsRefusalNamesTheKeyNeitherToTheClientNorInTheLog() {
        try (LogCapture log = LogCapture.debug(NetConnectionService.class)) {
            harness.client("192.0.2.10", 5000, 1).connect("limited-secret");
            FlashHarness.TestClient second = harness.client("192.0.2.11", 5000, 2);
            second.connect("limited-secret");
            assertEquals(CommandReplies.ERROR, second.lastReply().name());
            assertEquals("This developer key has reached its max-sessions limit of 1.", second.lastDescription());
            assertTrue(log.text().contains("connect rejected: developer key "
                    + DeveloperKey.logNameOf("limited-secret") + " has reached its max-sessions limit of 1"), log.text());
            assertFalse(log.text().contains("limited-secret"), log.text());
        }
    }

    @Test
    void anUnparsableConnectUrlIsNotLoggedEither() {
        try (LogCapture log = LogCapture.debug(NetConnectionService.class)) {
            Map<String, Object> properties = FlashHarness.connectObject("secret-key-1");
            properties.put("tcUrl", "rtmfp://rtmfpd.example/secret-key-1 with^spaces");
            FlashHarness.TestClient client = harness.client("192.0.2.10", 5000, 1);
            client.netConnection(FlashHarness.command("connect", 1, properties));
            assertEquals(CommandReplies.RESULT, client.lastReply().name());
            assertTrue(log.text().contains("unparsable tcUrl"), log.text());
            assertFalse(log.text().contains("secret-key-1"), log.text());
        }
    }
}
