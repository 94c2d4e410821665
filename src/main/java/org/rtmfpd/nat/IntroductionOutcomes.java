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
 * one that does not keeps asking (an initiator repeats its IHello until it hears from the target, first
 * after 1 s, each later gap 1.5 s longer, for up to 95 s). So a pair is
 * <ul>
 * <li>{@link Outcome#SETTLED} when its initiator has not asked for {@link #QUIET_MILLIS}, its last
 *     request having come less than {@link #WINDOW_MILLIS} after its first; and
 * <li>{@link Outcome#UNSETTLED} when it is still asking {@link #WINDOW_MILLIS} after its first request.
 * </ul>
 * Each pair is counted once; an unsettled one is remembered until it has been quiet for
 * {@link #UNSETTLED_MEMORY_MILLIS}, so its further requests do not count again, and a pair that asks
 * again after that is a new attempt. The initiator is its address as the server sees it. At most
 * {@link #MAX_PAIRS} pairs are followed; requests of further pairs are not counted
 * ({@link #untracked()}). Not thread-safe: the protocol thread calls it.
 */
public final class IntroductionOutcomes {
    /** A pair whose initiator still asks this long after its first request is unsettled. */
    public static final long WINDOW_MILLIS = 15_000;
    /**
     * A pair whose initiator has not asked for this long has stopped. Longer than every gap between
     * Flash's IHello repetitions that starts within the window: the first after 1 s, each later one
     * 1.5 s longer (requests at 0, 1, 3.5, 7.5, 13, 20 s ...), so the gap from 13 s is 7 s; 2 s more for
     * an initiator on a loaded machine (in the NAT lab, 6 s turned a symmetric initiator that never met
     * its port-restricted target into "settled").
     */
    public static final long QUIET_MILLIS = 9_000;
    /**
     * An unsettled pair is remembered until its initiator has not asked for this long, so that its later
     * requests are not a new attempt: longer than the longest gap of Flash's schedule before it gives up at 95 s (16 s).
     */
    public static final long UNSETTLED_MEMORY_MILLIS = 20_000;
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

        Asking(long first, String keyLabel) {
            this.first = first;
            this.last = first;
            this.keyLabel = keyLabel;
        }
    }

    private final Clock clock;
    private final Listener listener;
    /** Pairs not yet decided, in order of last request (access order), so that {@link #tick} walks only the quiet ones. */
    private final Map<Pair, Asking> asking = new LinkedHashMap<>(16, 0.75f, true);
    /** Pairs decided unsettled, kept (in order of last request) until quiet for {@link #UNSETTLED_MEMORY_MILLIS}. */
    private final Map<Pair, Asking> unsettled = new LinkedHashMap<>(16, 0.75f, true);
    private long untracked;

    public IntroductionOutcomes(Clock clock, Listener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    /** {@code initiator} was introduced to {@code targetPeerIdHex} under the key labelled {@code keyLabel}. */
    public void introduced(InetSocketAddress initiator, String targetPeerIdHex, String keyLabel) {
        long now = clock.nowMillis();
        Pair pair = new Pair(initiator, targetPeerIdHex);
        Asking decided = unsettled.get(pair);
        if (decided != null) {
            decided.last = now;
            return;
        }
        Asking open = asking.get(pair);
        if (open == null) {
            if (size() >= MAX_PAIRS) {
                untracked++;
                return;
            }
            asking.put(pair, new Asking(now, keyLabel));
            return;
        }
        open.last = now;
        if (open.last - open.first >= WINDOW_MILLIS) {
            asking.remove(pair);
            unsettled.put(pair, open);
            listener.decided(Outcome.UNSETTLED, open.keyLabel);
        }
    }

    /** Decides the pairs whose time has come and forgets the quiet unsettled ones; call it every timer tick. */
    public void tick() {
        long now = clock.nowMillis();
        for (Iterator<Asking> it = asking.values().iterator(); it.hasNext(); ) {
            Asking a = it.next();
            if (now - a.last < QUIET_MILLIS) {
                break;
            }
            listener.decided(Outcome.SETTLED, a.keyLabel);
            it.remove();
        }
        for (Iterator<Asking> it = unsettled.values().iterator(); it.hasNext(); ) {
            if (now - it.next().last < UNSETTLED_MEMORY_MILLIS) {
                break;
            }
            it.remove();
        }
    }

    /** Pairs followed now (undecided, and unsettled ones still remembered). */
    public int size() {
        return asking.size() + unsettled.size();
    }

    /** Introductions not followed because {@link #MAX_PAIRS} pairs were. */
    public long untracked() {
        return untracked;
    }
}
