package org.rtmfpd.e2e;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.rtmfpd.client.ClientIdentity;
import org.rtmfpd.client.ClientSettings;
import org.rtmfpd.client.RtmfpClient;
import org.rtmfpd.rendezvous.DeveloperKeyStore;
import org.rtmfpd.server.RtmfpServer;
import org.rtmfpd.config.ServerConfig;

/** An rtmfpd on an ephemeral port of 127.0.0.1, with a developer-keys file and a clock the test can move. */
final class TestServer implements AutoCloseable {
    static final String KEY_A = "key-a";
    static final String KEY_B = "key-b";
    static final String KEY_CAP_50 = "key-cap-50";
    static final String KEY_MAX_2 = "key-max-2";
    private static final long WAIT_LIMIT_MILLIS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    final AtomicLong clockOffset = new AtomicLong();
    final RtmfpServer server;
    final InetSocketAddress address;

    TestServer(Path dir) throws Exception {
        this(dir, ServerConfig.builder());
    }

    TestServer(Path dir, ServerConfig.Builder builder) throws Exception {
        this(dir, builder, WarpClock.REAL_TIME);
    }

    /** A server whose protocol clock is {@code clock}, moved on by {@link #clockOffset} as well. */
    TestServer(Path dir, WarpClock clock) throws Exception {
        this(dir, ServerConfig.builder(), clock);
    }

    /** A server with {@code builder}'s settings (its listen address and keys file are set here), on {@code clock}. */
    TestServer(Path dir, ServerConfig.Builder builder, WarpClock clock) throws Exception {
        Path keys = dir.resolve("developer-keys.conf");
        Files.writeString(keys, KEY_A + "\n" + KEY_B + "\n" + KEY_CAP_50 + " peer-cap=50\n" + KEY_MAX_2
                + " max-sessions=2\n");
        builder.resetListen().addListen(new InetSocketAddress("127.0.0.1", 0)).developerKeys(keys);
        server = RtmfpServer.start(builder.build(), DeveloperKeyStore.load(keys),
                () -> clock.nowMillis() + clockOffset.get(), () -> System.currentTimeMillis() + clockOffset.get());
        address = server.localAddresses().get(0);
    }

    String url(String key) {
        return "rtmfp://127.0.0.1:" + address.getPort() + "/" + key;
    }

    /**
     * A Flash-like client connected with {@code key} that has sent setPeerInfo with its address; it is
     * added to {@code owned}, for the test to close.
     */
    RtmfpClient connected(String key, Duration openTimeout, List<RtmfpClient> owned) throws Exception {
        RtmfpClient client = RtmfpClient.open(ClientIdentity.generate(RANDOM), ClientSettings.FLASH_LIKE.withOpenTimeout(openTimeout));
        owned.add(client);
        Map<String, Object> info = client.connect(url(key)).get(WAIT_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
        if (!"NetConnection.Connect.Success".equals(info.get("code"))) {
            throw new AssertionError("connect with " + key + ": " + info);
        }
        client.setPeerInfo(List.of(client.localAddress())).get(WAIT_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
        return client;
    }

    int sessions() throws Exception {
        return server.sessionCount();
    }

    long refused(String reason) {
        return server.metrics().refused(reason);
    }

    /** Waits, for at most ten seconds, until {@code condition} holds; false if it never did. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_LIMIT_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        server.close();
    }
}
