package org.rtmfpd.nat;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rtmfpd.session.Clock;

/**
 * Turns the stream of introductions into the P2P outcome of each (initiator, target) pair, as the
 * server sees it. An initiator that gets a direct session with its target stops sending IHellos for it;
 * one that does not keeps asking (RFC 7016 §3.5.1.1.1: an initiator repeats its IHello until it hears
 * from the target, every few seconds). So a pair is
 * <ul>
 * <li>{@link Outcome#SETTLED} when its initiator has not asked for {@link #QUIET_MILLIS}, its last
 *     request having come less than {@link #WINDOW_MILLIS} after its first; and
 * <li>{@link Outcome#UNSETTLED} when it is still asking {@link #WINDOW_MILLIS} after its first request.
 * </ul>
 * Each pair is counted once; an unsettled one is remembered until it has been quiet for
 * {@link #QUIET_MILLIS}, so its further requests do not count again, and a pair that asks again after
 * that is a new attempt. The initiator is its address as the server sees it. At most
 * {@link #MAX_PAIRS} pairs are followed; requests of further pairs are not counted
 * ({@link #untracked()}). Not thread-safe: the protocol thread calls it.
 */
public final class IntroductionOutcomes {
    /** A pair whose initiator still asks this long after its first request is unsettled. */
    public static final long WINDOW_MILLIS = 15_000;
    /**
     * A pair whose initiator has not asked for this long has stopped. Longer than the gap that spans the
     * window in RFC 7016 §3.5.1's schedule, which rtmfp-cpp and this project's client keep: the first
     * repetition after 1 s, each later gap 1.5 s longer (requests at 0, 1, 3.5, 7.5, 13 and 20 s: the
     * gap across 15 s is 7 s). The NAT lab measured a shorter quiet time (6 s) turn a symmetric
     * initiator that never met its port-restricted target into "settled".
     */
    public static final long QUIET_MILLIS = 9_000;
    /** Pairs followed at most. */
    public static final int MAX_PAIRS = 100_000;

    /** What became of a pair. */
    public enum Outcome {
        SETTLED, UNSETTLED;

        /** The metric label: {@code settled} or {@code unsettled}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Told each decided pair, with the developer key (its label) the introduction was made under. */
    @FunctionalInterface
    public interface Listener {
        void decided(Outcome outcome, String keyLabel);
    }

    private record Pair(InetSocketAddress initiator, String target) {
    }

    private static final class Asking {
        final long first;
        long last;
        final String keyLabel;
        boolean decided;

        Asking(long first, String keyLabel) {
            this.first = first;
            this.last = first;
            this.keyLabel = keyLabel;
        }
    }

    private final Clock clock;
    private final Listener listener;
    /** In order of last request (access order), so that {@link #tick} walks only the quiet ones. */
    private final Map<Pair, Asking> pairs = new LinkedHashMap<>(16, 0.75f, true);
    private long untracked;

    public IntroductionOutcomes(Clock clock, Listener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    /** {@code initiator} was introduced to {@code targetPeerIdHex} under the key labelled {@code keyLabel}. */
    public void introduced(InetSocketAddress initiator, String targetPeerIdHex, String keyLabel) {
        long now = clock.nowMillis();
        Pair pair = new Pair(initiator, targetPeerIdHex);
        Asking asking = pairs.get(pair);
        if (asking == null) {
            if (pairs.size() >= MAX_PAIRS) {
                untracked++;
                return;
            }
            pairs.put(pair, new Asking(now, keyLabel));
            return;
        }
        asking.last = now;
        if (!asking.decided && asking.last - asking.first >= WINDOW_MILLIS) {
            asking.decided = true;
            listener.decided(Outcome.UNSETTLED, asking.keyLabel);
        }
    }

    /** Decides the pairs whose time has come; call it every timer tick. */
    public void tick() {
        long now = clock.nowMillis();
        for (Iterator<Asking> it = pairs.values().iterator(); it.hasNext(); ) {
            Asking asking = it.next();
            if (now - asking.last < QUIET_MILLIS) {
                break;
            }
            if (!asking.decided) {
                listener.decided(Outcome.SETTLED, asking.keyLabel);
            }
            it.remove();
        }
    }

    /** Pairs followed now. */
    public int size() {
        return pairs.size();
    }

    /** Introductions not followed because {@link #MAX_PAIRS} pairs were. */
    public long untracked() {
        return untracked;
    }
}
