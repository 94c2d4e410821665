package org.rtmfpd.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    private static final long START_DEADLINE_MILLIS = 10_000;

    private final List<String> extraArgs;
    private int port;
    private Process process;

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
        port = freePort();
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

    /** Starts a redis-server on {@link #port()} (again, after {@link #stop()}) and waits until it answers PING. */
    public void start() throws IOException, InterruptedException {
        String binary = Files.isExecutable(Path.of(BINARY)) ? BINARY : onPath();
        if (binary == null) {
            throw new IllegalStateException("redis-server is not installed; these tests need it: "
                    + "apt-get install -y redis-server");
        }
        Path log = Files.createDirectories(Path.of("target", "redis-test")).resolve("redis-" + port + ".log");
        List<String> command = new java.util.ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"));
        command.addAll(extraArgs);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_DEADLINE_MILLIS);
        while (!ping()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("redis-server did not answer PING on port " + port + " within 10 s; see " + log);
            }
            Thread.onSpinWait();
            Thread.sleep(10); // waiting for a process to start, not for time to pass in a test
        }
    }

    /** Kills the server at once (SIGKILL: clients see the connection drop) and waits for it to exit. */
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] b = new byte[7];
            int n = in.readNBytes(b, 0, 7);
            String answer = new String(b, 0, Math.max(0, n), StandardCharsets.US_ASCII);
            return answer.equals("+PONG\r\n") || answer.startsWith("-NOAUTH"); // up, and asking for a password
        } catch (IOException e) {
            return false;
        }
    }

    private static String onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
