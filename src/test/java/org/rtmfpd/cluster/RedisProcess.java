package org.rtmfpd.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redis-server} (or {@code redis-server --sentinel}) process of a test, in its own directory
 * under target/redis-test, bound to 127.0.0.1; ready when its log says it accepts connections.
 */
public final class RedisProcess {
    private static final long START_DEADLINE_MILLIS = 20_000;
    private static final String READY = "Ready to accept connections";

    private final int port;
    private final Path dir;
    private final List<String> args;
    private final String ready;
    private Process process;

    private RedisProcess(int port, Path dir, List<String> args, String ready) {
        this.port = port;
        this.dir = dir;
        this.args = args;
        this.ready = ready;
    }

    /**
     * Starts {@code redis-server} in a fresh directory with {@code extra} after the common arguments
     * (loopback, no persistence, the directory, a log file), and waits until it is ready.
     */
    public static RedisProcess start(String name, int port, List<String> extra) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "redis-test").toAbsolutePath()
                .resolve(name + "-" + port + "-" + ProcessHandle.current().pid()));
        List<String> args = new ArrayList<>(List.of(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()));
        args.addAll(extra);
        RedisProcess p = new RedisProcess(port, dir, args, READY);
        p.start();
        return p;
    }

    /** Starts a sentinel with this configuration text (a sentinel rewrites its file, so it gets its own). */
    public static RedisProcess sentinel(int port, String config) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "redis-test").toAbsolutePath()
                .resolve("sentinel-" + port + "-" + ProcessHandle.current().pid()));
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\nlogfile " + dir.resolve("redis.log")
                + "\n" + config);
        RedisProcess p = new RedisProcess(port, dir, List.of(sentinelBinary(), conf.toString()), "+monitor master");
        p.start();
        return p;
    }

    private void start() throws IOException, InterruptedException {
        Path log = dir.resolve("redis.log");
        Files.deleteIfExists(log);
        process = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_DEADLINE_MILLIS);
        while (!(Files.exists(log) && Files.readString(log).contains(ready))) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis exited with " + process.exitValue() + ": " + args + "; see " + dir);
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("redis on port " + port + " was not ready within 20 s; see " + dir);
            }
            Thread.sleep(20); // waiting for a process to start, not for time to pass in a test
        }
    }

    public int port() {
        return port;
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** kill -9, and waits for the process to be gone. */
    public void kill() {
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

    static String binary() {
        for (String candidate : List.of(RedisTestServer.BINARY, "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("redis-server is not installed; these tests need it: "
                + "apt-get install -y redis-server redis-sentinel");
    }

    static String sentinelBinary() {
        for (String candidate : List.of("/usr/bin/redis-sentinel", "/usr/local/bin/redis-sentinel")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("redis-sentinel is not installed; these tests need it: "
                + "apt-get install -y redis-sentinel");
    }

    /** The directory holding its log. */
    public Path dir() {
        return dir;
    }

    /** A free 127.0.0.1 TCP port {@code p} whose {@code p + offset} is free too (a cluster bus port), or any with offset 0. */
    public static int freePort(int offset) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int p = offset == 0 ? ephemeral() : ThreadLocalRandom.current().nextInt(20_000, 45_000);
            if (offset == 0 || (free(p) && free(p + offset))) {
                return p;
            }
        }
        throw new IllegalStateException("no free port pair at distance " + offset + " after 200 tries");
    }

    private static int ephemeral() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
