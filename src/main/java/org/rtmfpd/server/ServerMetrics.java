package org.rtmfpd.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's counters and gauges, rendered in the Prometheus text exposition format. Counters are
 * safe to bump from any thread.
 */
public final class ServerMetrics {
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

    /** A datagram was dropped silently, for {@code reason}. */
    public void drop(String reason) {
        drops.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** A request (introduction, connect, join) was refused, for {@code reason}. */
    public void refuse(String reason) {
        refusals.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** Something worth counting happened (an introduction, a join, a connect). */
    public void count(String event) {
        events.computeIfAbsent(event, r -> new LongAdder()).increment();
    }

    public void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
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

    /** The Prometheus text format (version 0.0.4). */
    public String render() {
        StringBuilder out = new StringBuilder();
        counter(out, "rtmfpd_packets_received_total", "Datagrams received.", packetsIn.sum());
        counter(out, "rtmfpd_packets_sent_total", "Datagrams sent.", packetsOut.sum());
        counter(out, "rtmfpd_bytes_received_total", "UDP payload bytes received.", bytesIn.sum());
        counter(out, "rtmfpd_bytes_sent_total", "UDP payload bytes sent.", bytesOut.sum());
        counter(out, "rtmfpd_handshakes_total", "IHellos answered with an RHello.", handshakes.sum());
        counter(out, "rtmfpd_sessions_opened_total", "Sessions opened.", sessionsOpened.sum());
        counter(out, "rtmfpd_sessions_closed_total", "Sessions closed or timed out.", sessionsClosed.sum());
        labelled(out, "rtmfpd_dropped_total", "Datagrams dropped silently, by reason.", "reason", drops);
        labelled(out, "rtmfpd_refused_total", "Requests refused, by reason.", "reason", refusals);
        labelled(out, "rtmfpd_events_total", "Introductions, connects and joins.", "event", events);
        for (Map.Entry<String, LongSupplier> g : new TreeMap<>(gauges).entrySet()) {
            out.append("# TYPE ").append(g.getKey()).append(" gauge\n")
                    .append(g.getKey()).append(' ').append(g.getValue().getAsLong()).append('\n');
        }
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value).append('\n');
    }

    private static void labelled(StringBuilder out, String name, String help, String label,
                                 Map<String, LongAdder> values) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(values).entrySet()) {
            out.append(name).append('{').append(label).append("=\"").append(e.getKey()).append("\"} ").append(e.getValue().sum()).append('\n');
        }
    }
}
