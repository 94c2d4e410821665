package org.rtmfpd.server;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The server's counters, gauges and latency histograms, held in a Prometheus client registry. Counters
 * and histograms are safe to update from any thread; gauges are read at scrape time, on the scraping
 * thread, so what they read must be safe to read there (never the protocol thread's tables). Every
 * known drop reason, refusal reason and event ({@link KnownLabels}) is exported at 0 from the start.
 */
public final class ServerMetrics {
    /**
     * One DEBUG line per drop and refusal, whose {@code event} is the metric's {@code reason} label: turn
     * it on alone with {@code <logger name="org.rtmfpd.events" level="DEBUG"/>}.
     */
    private static final org.slf4j.Logger EVENTS = org.slf4j.LoggerFactory.getLogger("org.rtmfpd.events");
    /** A client address's first IHello is remembered this long for the connect histogram (cookie lifetime and more). */
    static final long CONNECT_MEMORY_NANOS = 120_000_000_000L;
    /** At most this many client addresses are remembered between their IHello and their connect. */
    static final int CONNECT_MEMORY_ENTRIES = 10_000;

    /** Latencies measured by the server, each a histogram in seconds. */
    public enum Timing {
        CONNECT("rtmfpd_connect_duration_seconds",
                "From the first IHello of a client address to the _result of its accepted connect, server side.",
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        KEYING_WAIT("rtmfpd_keying_queue_wait_seconds",
                "Time an IIKeying waited for a Diffie-Hellman worker.",
                0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1),
        INTRODUCTION("rtmfpd_introduction_duration_seconds",
                "Handling of an introduction request (an IHello for a peer), refused or not, on the protocol thread.",
                0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01),
        GROUP_JOIN("rtmfpd_netgroup_join_duration_seconds",
                "Handling of the message that joined a NetGroup, on the protocol thread.",
                0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01);

        final String metric;
        final String help;
        final double[] buckets;

        Timing(String metric, String help, double... buckets) {
            this.metric = metric;
            this.help = help;
            this.buckets = buckets;
        }

        public String metricName() {
            return metric;
        }
    }

    final LongAdder packetsIn = new LongAdder();
    final LongAdder packetsOut = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder handshakes = new LongAdder();
    final LongAdder sessionsOpened = new LongAdder();
    final LongAdder sessionsClosed = new LongAdder();
    private final Map<String, LongAdder> drops = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> events = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();
    /** Introduced pairs by outcome, and by developer key label and outcome (IntroductionOutcomes). */
    private final Map<String, LongAdder> pairs = new ConcurrentHashMap<>();
    private final Map<List<String>, LongAdder> pairsByKey = new ConcurrentHashMap<>();
    private final Map<Timing, Histogram> histograms = new java.util.EnumMap<>(Timing.class);
    /** The first IHello's time of each client address not yet connected; oldest first, bounded. */
    private final LinkedHashMap<InetSocketAddress, Long> helloAt = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Long> eldest) {
            return size() > CONNECT_MEMORY_ENTRIES;
        }
    };
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final LongSupplier nanos;
    private boolean jvm;

    public ServerMetrics() {
        this(System::nanoTime);
    }

    /** @param nanos the monotonic nanosecond clock the histograms measure with */
    public ServerMetrics(LongSupplier nanos) {
        this.nanos = nanos;
        counter("rtmfpd_packets_received", "Datagrams received.", packetsIn);
        counter("rtmfpd_packets_sent", "Datagrams sent.", packetsOut);
        counter("rtmfpd_bytes_received", "UDP payload bytes received.", bytesIn);
        counter("rtmfpd_bytes_sent", "UDP payload bytes sent.", bytesOut);
        counter("rtmfpd_handshakes", "IHellos answered with an RHello.", handshakes);
        counter("rtmfpd_sessions_opened", "Sessions opened.", sessionsOpened);
        counter("rtmfpd_sessions_closed", "Sessions closed or timed out.", sessionsClosed);
        expect(drops, KnownLabels.DROPS);
        expect(refusals, KnownLabels.refusals());
        expect(events, KnownLabels.EVENTS);
        labelled("rtmfpd_dropped", "Datagrams dropped silently, by reason.", "reason", drops);
        labelled("rtmfpd_refused", "Requests refused, by reason.", "reason", refusals);
        labelled("rtmfpd_events", "Connects, introductions, joins and other events.", "event", events);
        for (String outcome : List.of("settled", "unsettled")) {
            pairs.put(outcome, new LongAdder());
        }
        labelled("rtmfpd_introduction_pairs", "Introduced (initiator, target) pairs by P2P outcome as the server sees it:"
                + " settled (the initiator stopped asking within 15 s), unsettled (still asking after it); docs/nat.md.",
                "outcome", pairs);
        for (Timing t : Timing.values()) {
            histograms.put(t, Histogram.builder().name(t.metric).help(t.help).unit(Unit.SECONDS)
                    .classicOnly().classicUpperBounds(t.buckets).withoutExemplars().register(registry));
        }
    }

    /** Exports {@code reasons} of rtmfpd_refused_total and {@code events} of rtmfpd_events_total at 0 until counted. */
    public void expect(List<String> reasons, List<String> events) {
        expect(refusals, reasons);
        expect(this.events, events);
    }

    private static void expect(Map<String, LongAdder> counters, List<String> labels) {
        labels.forEach(l -> counters.computeIfAbsent(l, k -> new LongAdder()));
    }

    /**
     * Adds the client library's JVM and process metrics ({@code jvm_*}, {@code process_*}) and each thread
     * role's CPU time ({@code rtmfpd_thread_cpu_seconds_total{thread=...}}, nanosecond resolution); once.
     */
    public synchronized ServerMetrics withJvmMetrics() {
        if (!jvm) {
            JvmMetrics.builder().register(registry);
            ThreadCpu cpu = new ThreadCpu();
            CounterWithCallback.builder().name("rtmfpd_thread_cpu_seconds")
                    .help("CPU time (user and system) of the JVM's threads by role: rtmfpd-loop is the protocol loop, "
                            + "rtmfpd-keying the Diffie-Hellman workers.")
                    .labelNames("thread")
                    .callback(cb -> cpu.byRole().forEach((role, nanos) -> cb.call(nanos / 1e9, role)))
                    .register(registry);
            jvm = true;
        }
        return this;
    }

    /** A datagram was dropped silently, for {@code reason}; logged at DEBUG as event {@code reason}. */
    public void drop(String reason) {
        drops.computeIfAbsent(reason, r -> new LongAdder()).increment();
        if (EVENTS.isDebugEnabled()) {
            EVENTS.atDebug().addKeyValue("event", reason).log("dropped: {}", reason);
        }
    }

    /** A request (introduction, connect, join) was refused, for {@code reason}; logged at DEBUG as event {@code reason}. */
    public void refuse(String reason) {
        refusals.computeIfAbsent(reason, r -> new LongAdder()).increment();
        if (EVENTS.isDebugEnabled()) {
            EVENTS.atDebug().addKeyValue("event", reason).log("refused: {}", reason);
        }
    }

    /** An introduced pair was decided: {@code outcome} settled or unsettled, under the key labelled {@code keyLabel}. */
    public void introductionPair(String outcome, String keyLabel) {
        pairs.computeIfAbsent(outcome, o -> new LongAdder()).increment();
        pairsByKey.computeIfAbsent(List.of(keyLabel, outcome), k -> new LongAdder()).increment();
    }

    /**
     * Exports the introduced pairs by developer key: every key of {@code keyLabels} appears, at zero until
     * its first pair is decided.
     */
    public void introductionPairsByKey(Supplier<java.util.Collection<String>> keyLabels) {
        CounterWithCallback.builder().name("rtmfpd_developer_key_introduction_pairs")
                .help("rtmfpd_introduction_pairs by developer key, named by its label (or key# and its hash's first 8"
                        + " hex digits; none for initiators without a session).")
                .labelNames("key", "outcome")
                .callback(cb -> {
                    Map<List<String>, Long> values = new java.util.TreeMap<>(java.util.Comparator.comparing(List::toString));
                    for (String key : keyLabels.get()) {
                        pairs.keySet().forEach(outcome -> values.put(List.of(key, outcome), 0L));
                    }
                    pairsByKey.forEach((k, v) -> values.put(k, v.sum()));
                    values.forEach((k, v) -> cb.call(v, k.get(0), k.get(1)));
                }).register(registry);
    }

    /** Pairs decided as {@code outcome}. */
    public long introductionPairs(String outcome) {
        LongAdder a = pairs.get(outcome);
        return a == null ? 0 : a.sum();
    }

    /** Something worth counting happened (an introduction, a join, a connect). */
    public void count(String event) {
        events.computeIfAbsent(event, r -> new LongAdder()).increment();
    }

    /** A gauge named {@code name}, read at every scrape; a second call with the same name replaces the first. */
    public void gauge(String name, LongSupplier value) {
        gauge(name, name.replace('_', ' ') + ".", value);
    }

    /** As {@link #gauge(String, LongSupplier)}, with its help text. */
    public void gauge(String name, String help, LongSupplier value) {
        if (gauges.put(name, value) == null) {
            GaugeWithCallback.builder().name(name).help(help)
                    .callback(cb -> cb.call(gauges.get(name).getAsLong())).register(registry);
        }
    }

    /**
     * A gauge with one label, read at every scrape: {@code values} gives each label value its number
     * (values given twice are added up).
     */
    public void labelledGauge(String name, String help, String label, Supplier<Map<String, Long>> values) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(label)
                .callback(cb -> values.get().forEach((k, v) -> cb.call(v, k))).register(registry);
    }

    public long dropped(String reason) {
        LongAdder a = drops.get(reason);
        return a == null ? 0 : a.sum();
    }

    public long refused(String reason) {
        LongAdder a = refusals.get(reason);
        return a == null ? 0 : a.sum();
    }

    public long counted(String event) {
        LongAdder a = events.get(event);
        return a == null ? 0 : a.sum();
    }

    /** The histograms' clock, in nanoseconds: take it when something starts and pass it to {@link #observe}. */
    public long now() {
        return nanos.getAsLong();
    }

    /** Records that what started at {@code startNanos} (a {@link #now()} reading) ends now. */
    public void observe(Timing timing, long startNanos) {
        observeNanos(timing, now() - startNanos);
    }

    void observeNanos(Timing timing, long elapsedNanos) {
        histograms.get(timing).observe(Math.max(0, elapsedNanos) / 1e9);
    }

    /** How many observations {@code timing} holds. */
    public long observations(Timing timing) {
        return histograms.get(timing).collect().getDataPoints().get(0).getCount();
    }

    /** A client address sent an IHello for this server: its connect latency starts now, unless it started already. */
    public void helloFrom(InetSocketAddress address) {
        long now = now();
        synchronized (helloAt) {
            Long first = helloAt.get(address);
            if (first == null || now - first > CONNECT_MEMORY_NANOS) {
                helloAt.remove(address);
                helloAt.put(address, now);
            }
        }
    }

    /** The client at {@code address} had its connect accepted: observes its connect latency, if its IHello is known. */
    public void connected(InetSocketAddress address) {
        Long first;
        synchronized (helloAt) {
            first = helloAt.remove(address);
        }
        long now = now();
        if (first != null && now - first <= CONNECT_MEMORY_NANOS) {
            observeNanos(Timing.CONNECT, now - first);
        }
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The Prometheus text format (version 0.0.4), as {@code GET /metrics} answers a plain request. */
    public String render() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void counter(String name, String help, LongAdder value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.sum())).register(registry);
    }

    private void labelled(String name, String help, String label, Map<String, LongAdder> values) {
        CounterWithCallback.builder().name(name).help(help).labelNames(label)
                .callback(cb -> values.forEach((k, v) -> cb.call(v.sum(), k))).register(registry);
    }
}
