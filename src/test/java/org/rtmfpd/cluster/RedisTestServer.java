package org.rtmfpd.cluster;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@code redis-server} of the test's own, on a free 127.0.0.1 port, with no persistence: started
 * before the class's tests (register it with {@code @RegisterExtension static}), stopped after them.
 * Fails, never skips, when the binary is missing.
 */
public final class RedisTestServer implements BeforeAllCallback, AfterAllCallback {
    static final String BINARY = "/usr/bin/redis-server";

    private final List<String> extraArgs;
    private int port;
    private RedisProcess process;

    /** A plain redis-server. */
    public RedisTestServer() {
        this(List.of());
    }

    /** A redis-server started with {@code extraArgs} as well (such as {@code --requirepass SECRET}). */
    public RedisTestServer(List<String> extraArgs) {
        this.extraArgs = List.copyOf(extraArgs);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        port = RedisProcess.freePort(0);
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * A connection to this server with a 5 s timeout: the 1 s default is too tight for a connection's
     * start on a loaded build machine.
     */
    public RedisConnection connect() {
        return RedisConnection.open(uri(), java.util.Optional.empty(), java.time.Duration.ofSeconds(5));
    }

    /** Starts a redis-server on {@link #port()} (again, after {@link #stop()}) and waits until it is ready. */
    public void start() throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>(List.of("--protected-mode", "yes"));
        args.addAll(extraArgs);
        process = RedisProcess.start("redis", port, args);
    }

    /** Kills the server at once (SIGKILL: clients see the connection drop) and waits for it to exit. */
    public void stop() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }
}
