package org.rtmfpd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rtmfpd.handshake.ServerApplication;

/** The metrics as Prometheus reads them: names, types, histograms measured with an injected clock, and the endpoint. */
class ServerMetricsTest {
    private static final long MS = 1_000_000;
    private final AtomicLong nanos = new AtomicLong(1_000 * MS);
    private final ServerMetrics metrics = new ServerMetrics(nanos::get);

    @Test
    void theTextIsValidExpositionWithEveryFamilyTheDashboardUses() {
        metrics.withJvmMetrics();
        metrics.gauge("rtmfpd_sessions", "Sessions.", () -> 3);
        metrics.labelledGauge("rtmfpd_developer_key_peers", "Peers by key.", "key", () -> Map.of("chat", 2L, "key#0a1b2c3d", 1L));
        metrics.drop("bad_cookie");
        metrics.refuse("connect_rejected");
        metrics.count("introduction");
        metrics.packetsIn.add(5);
        metrics.observe(ServerMetrics.Timing.KEYING_WAIT, nanos.get());
        Exposition text = Exposition.parse(metrics.render());
        for (String family : new String[] {"rtmfpd_packets_received_total", "rtmfpd_bytes_sent_total",
                "rtmfpd_sessions_opened_total", "rtmfpd_dropped_total", "rtmfpd_refused_total", "rtmfpd_events_total",
                "rtmfpd_connect_duration_seconds", "rtmfpd_keying_queue_wait_seconds",
                "rtmfpd_introduction_duration_seconds", "rtmfpd_netgroup_join_duration_seconds", "rtmfpd_sessions",
                "rtmfpd_developer_key_peers", "jvm_memory_used_bytes", "jvm_gc_collection_seconds",
                "process_cpu_seconds_total", "process_resident_memory_bytes", "rtmfpd_thread_cpu_seconds_total"}) {
            assertTrue(text.has(family), family + " missing");
        }
        assertEquals("histogram", text.families.get("rtmfpd_connect_duration_seconds").type());
        assertEquals(5, text.value("rtmfpd_packets_received_total", Map.of()));
        assertEquals(1, text.value("rtmfpd_dropped_total", Map.of("reason", "bad_cookie")));
        assertEquals(2, text.value("rtmfpd_developer_key_peers", Map.of("key", "chat")));
        assertEquals(3, text.value("rtmfpd_sessions", Map.of()));
        assertEquals(1, text.value("rtmfpd_keying_queue_wait_seconds_count", Map.of()));
    }

    @Test
    void theCheckerRefusesWhatPromtoolRefuses() {
        assertThrows(AssertionError.class, () -> Exposition.parse("# HELP x_total X.\n# TYPE x_total counter\nx_total 1\nx_total 2\n"));
        assertThrows(AssertionError.class, () -> Exposition.parse("# HELP x X.\n# TYPE x counter\nx 1\n"));
        assertThrows(AssertionError.class, () -> Exposition.parse("# TYPE x gauge\nx 1\n"));
        assertThrows(AssertionError.class, () -> Exposition.parse("# HELP x X.\n# TYPE x gauge\ny 1\n"));
        assertThrows(AssertionError.class, () -> Exposition.parse("# HELP h H.\n# TYPE h histogram\n"
                + "h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"));
        assertThrows(AssertionError.class, () -> Exposition.parse("# HELP x X.\n# TYPE x gauge\nx{a=\"1} 1\n"));
    }

    @Test
    void connectLatencyRunsFromTheFirstIHelloOfTheAddressToTheAcceptedConnect() {
        InetSocketAddress client = new InetSocketAddress("192.0.2.1", 5000);
        metrics.helloFrom(client);
        nanos.addAndGet(10 * MS);
        metrics.helloFrom(client); // a retransmitted IHello does not restart it
        nanos.addAndGet(20 * MS);
        metrics.connected(client);
        metrics.connected(client); // observed once
        Exposition text = Exposition.parse(metrics.render());
        assertEquals(1, text.value("rtmfpd_connect_duration_seconds_count", Map.of()));
        assertEquals(0.030, text.value("rtmfpd_connect_duration_seconds_sum", Map.of()), 1e-9);
        assertEquals(0, text.value("rtmfpd_connect_duration_seconds_bucket", Map.of("le", "0.025")));
        assertEquals(1, text.value("rtmfpd_connect_duration_seconds_bucket", Map.of("le", "0.05")));
    }

    @Test
    void anIHelloOlderThanTheCookiesIsNotLinkedToALaterConnect() {
        InetSocketAddress client = new InetSocketAddress("192.0.2.1", 5000);
        metrics.helloFrom(client);
        nanos.addAndGet(ServerMetrics.CONNECT_MEMORY_NANOS + MS);
        metrics.connected(client);
        assertEquals(0, metrics.observations(ServerMetrics.Timing.CONNECT));
        metrics.helloFrom(client); // a new attempt starts afresh
        nanos.addAndGet(5 * MS);
        metrics.connected(client);
        assertEquals(1, metrics.observations(ServerMetrics.Timing.CONNECT));
    }

    @Test
    void theIHelloMemoryIsBounded() {
        InetSocketAddress first = new InetSocketAddress("192.0.2.1", 1);
        metrics.helloFrom(first);
        for (int i = 0; i < ServerMetrics.CONNECT_MEMORY_ENTRIES; i++) {
            metrics.helloFrom(new InetSocketAddress("198.51.100.1", 1 + i % 60_000 + (i / 60_000)));
        }
        metrics.connected(first);
        assertEquals(0, metrics.observations(ServerMetrics.Timing.CONNECT), "the oldest address was forgotten");
    }

    @Test
    void keyingWaitIsTimedFromQueueingToTheWorkerStarting() {
        java.util.List<Runnable> queued = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = new java.util.concurrent.AbstractExecutorService() {
            public void execute(Runnable r) { queued.add(r); }
            public void shutdown() { }
            public java.util.List<Runnable> shutdownNow() { return java.util.List.of(); }
            public boolean isShutdown() { return false; }
            public boolean isTerminated() { return false; }
            public boolean awaitTermination(long t, java.util.concurrent.TimeUnit u) { return true; }
        };
        boolean[] ran = new boolean[1];
        RtmfpServer.timedKeying(pool, metrics).execute(() -> ran[0] = true);
        nanos.addAndGet(7 * MS);
        queued.get(0).run();
        assertTrue(ran[0]);
        Exposition text = Exposition.parse(metrics.render());
        assertEquals(0.007, text.value("rtmfpd_keying_queue_wait_seconds_sum", Map.of()), 1e-9);
    }

    @Test
    void aGaugeRegisteredTwiceIsReplacedNotDuplicated() {
        metrics.gauge("rtmfpd_sessions", () -> 1);
        metrics.gauge("rtmfpd_sessions", () -> 2);
        assertEquals(2, Exposition.parse(metrics.render()).value("rtmfpd_sessions", Map.of()));
    }

    /** Every call the dispatcher may make reaches the Flash layer through the timing wrapper. */
    @Test
    void theTimingWrapperPassesOnEveryCallOfTheApplication() throws Exception {
        for (Method m : ServerApplication.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Method own = TimedApplication.class.getMethod(m.getName(), m.getParameterTypes());
            assertEquals(TimedApplication.class, own.getDeclaringClass(), m + " is not passed on");
        }
    }

    @Test
    void theEndpointServesTextAndOpenMetrics() throws Exception {
        metrics.drop("bad_cookie");
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(new InetSocketAddress("127.0.0.1", 0), metrics)) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + endpoint.address().getPort() + "/metrics");
            HttpResponse<String> plain = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, plain.statusCode());
            assertTrue(plain.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertEquals(1, Exposition.parse(plain.body()).value("rtmfpd_dropped_total", Map.of("reason", "bad_cookie")));
            HttpResponse<String> open = http.send(HttpRequest.newBuilder(uri)
                    .header("Accept", "application/openmetrics-text; version=1.0.0").build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
            assertTrue(open.body().endsWith("# EOF\n"), open.body());
            assertFalse(open.body().contains("rtmfpd_dropped_total_total"));
        }
    }
}
