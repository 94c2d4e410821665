package org.rtmfpd.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@code redis-server} of the test's own that speaks only TLS ({@code --tls-port}, no plain port) on
 * 127.0.0.1, with a certificate for 127.0.0.1 signed by a CA the test makes with {@code openssl}; a
 * second CA, which signed nothing, stands for a wrong one.
 */
public final class TlsRedis implements BeforeAllCallback, AfterAllCallback {
    private RedisProcess server;
    private Path dir;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "redis-test").toAbsolutePath()), "tls-");
        makeCa("ca");
        makeCa("wrong-ca");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=127.0.0.1");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-sha256", "-extfile", "san.ext", "-out", "server.pem");
        int port = RedisProcess.freePort(0);
        server = RedisProcess.start("tls", port, List.of("--port", "0", "--tls-port", Integer.toString(port), "--tls-cert-file", file("server.pem"), "--tls-key-file",
                file("server.key"), "--tls-ca-cert-file", file("ca.pem"), "--tls-auth-clients", "no"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.kill();
        }
    }

    /** {@code rediss://127.0.0.1:PORT}. */
    public String uri() {
        return "rediss://127.0.0.1:" + server.port();
    }

    /** The CA that signed the server's certificate (PEM). */
    public Path ca() {
        return dir.resolve("ca.pem");
    }

    /** A CA that signed nothing here (PEM). */
    public Path wrongCa() {
        return dir.resolve("wrong-ca.pem");
    }

    private void makeCa(String name) throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
                "-days", "2", "-subj", "/CN=rtmfpd test " + name);
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Files.isExecutable(Path.of("/usr/bin/openssl")) ? "/usr/bin/openssl" : "openssl");
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed (apt-get install -y openssl): "
                    + Files.readString(log));
        }
    }
}
