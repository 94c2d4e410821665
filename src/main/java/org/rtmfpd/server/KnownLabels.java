package org.rtmfpd.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rtmfpd.handshake.KeyingRefusal;
import org.rtmfpd.registry.RegistryEvent;
import org.rtmfpd.rendezvous.Introducer;

/**
 * Every value the {@code reason} and {@code event} labels of rtmfpd_dropped_total, rtmfpd_refused_total
 * and rtmfpd_events_total can take: {@link ServerMetrics} exports each at 0 from the start, so that a
 * dashboard's panels and an alert's {@code rate()} see a series before the first event. A reason counted
 * anywhere must be listed here; {@code KnownLabelsTest} reads the sources to check it.
 */
public final class KnownLabels {
    /** Datagrams dropped silently (Dispatcher, RtmfpServer). */
    public static final List<String> DROPS = List.of("short", "too_long", "unknown_session", "bad_packet", "bad_chunk",
            "wrong_mode_or_sequence", "bad_startup_packet", "wrong_mode", "ihello_tag_too_long", "bad_epd",
            "small_ihello_rate", "epd_not_this_server", "iikeying_session_id_zero", "bad_cookie", "source_iikeying_rate",
            "iikeying_for_open_session", "address_in_use", "keying_queue_full", "max_sessions", "source_sessions",
            "source_handshakes", "forwarded_ihello_to_server", "stopping", "internal_error");
    /** Introduction refusals the Flash layer names itself, besides {@link Introducer.Reason}'s. */
    private static final List<String> FLASH_INTRODUCTION_REFUSALS = List.of("initiator_not_connected",
            "rendezvous_failed", "open_target_unavailable");
    /** Refusals named outside the enums: connects, and the introductions the datagram layer refuses. */
    private static final List<String> OTHER_REFUSALS = List.of("connect_rejected", "connect_timeout",
            "introduction_self", "introduction_rate");
    /** Events counted by the Flash layer and the datagram layer. */
    public static final List<String> EVENTS = List.of("connect", "introduction", "group_join", "address_taken_over",
            "log_line_suppressed", "message_failed", "redirected");

    private KnownLabels() {
    }

    /** Every refusal reason of the RTMFP service (the name registry's come with it: {@link #registry}). */
    public static List<String> refusals() {
        List<String> out = new ArrayList<>(OTHER_REFUSALS);
        for (Introducer.Reason r : Introducer.Reason.values()) {
            out.add(introduction(r.name()));
        }
        FLASH_INTRODUCTION_REFUSALS.forEach(r -> out.add("introduction_" + r));
        for (KeyingRefusal r : KeyingRefusal.values()) {
            out.add(r.label());
        }
        return out.stream().distinct().toList();
    }

    /** The label of an introduction refused for {@code reason} (a constant's name, upper or lower case). */
    public static String introduction(String reason) {
        return "introduction_" + reason.toLowerCase(Locale.ROOT);
    }

    /** The name registry's labels, refusals ({@code true}) or events ({@code false}). */
    public static List<String> registry(boolean refusals) {
        List<String> out = new ArrayList<>();
        for (RegistryEvent e : RegistryEvent.values()) {
            if (e.refusal() == refusals) {
                out.add(e.label());
            }
        }
        return out;
    }
}
