package org.rtmfpd.server;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@link ServerMetrics} on {@code GET /metrics} with the Prometheus client's exporter (the JDK's
 * HTTP server underneath): the text format 0.0.4, or OpenMetrics when the scraper asks for it; and
 * {@code GET /-/healthy} for liveness checks.
 */
public final class MetricsEndpoint implements AutoCloseable {
    /** Scrapes are rare and cheap: one thread answers them all. */
    private final ExecutorService executor;
    private final HTTPServer http;
    private final InetSocketAddress address;

    private MetricsEndpoint(ExecutorService executor, HTTPServer http, InetSocketAddress address) {
        this.executor = executor;
        this.http = http;
        this.address = address;
    }

    /** Serves {@code metrics} on {@code address}; throws {@link ListenException} (metrics-listen) if it cannot be bound. */
    public static MetricsEndpoint start(InetSocketAddress address, ServerMetrics metrics) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rtmfpd-metrics");
            t.setDaemon(true);
            return t;
        });
        try {
            HTTPServer http = HTTPServer.builder().inetAddress(address.getAddress()).port(address.getPort())
                    .registry(metrics.registry()).executorService(executor).buildAndStart();
            return new MetricsEndpoint(executor, http, new InetSocketAddress(address.getAddress(), http.getPort()));
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw new ListenException("metrics-listen", address, e);
        }
    }

    /** The address bound (with the actual port when port 0 was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        http.close();
        executor.shutdownNow();
    }
}
