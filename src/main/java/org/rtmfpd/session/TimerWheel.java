package org.rtmfpd.session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns deadlines into calls: a hashed timer wheel (Varghese and Lauck) of {@code slots} slots of
 * {@code resolutionMillis} each, driven by whoever owns it through {@link #expire}, with the time it
 * reads from its clock. Each timer sits in the slot of its deadline's tick, in a doubly linked list, so
 * scheduling, moving and cancelling cost O(1); {@link #expire} visits only the slots whose ticks have
 * passed since the last call (and the current one), and in them only the timers that are there. A timer
 * whose deadline lies more than one turn of the wheel ahead shares its slot with nearer ones and is
 * passed over once per turn until it is due. Timers fire no earlier than their deadline and, when
 * several are due in one call, in deadline order. Not thread-safe: one thread owns the wheel.
 *
 * @param <T> what a timer belongs to, handed to the expiry action
 */
public final class TimerWheel<T> {
    private final long resolution;
    /** {@link Timer#slot} of a timer not scheduled, and of one found due and about to fire. */
    private static final int IDLE = -1;
    private static final int DUE = -2;
    private final Timer<T>[] heads;
    private final int mask;
    /** Ticks below this one have been visited: every timer with a deadline before it has fired. */
    private long nextTick;
    private int size;
    private final List<Timer<T>> due = new ArrayList<>();
    private static final Comparator<Timer<?>> BY_DEADLINE = Comparator.comparingLong(t -> t.deadline);

    /**
     * @param resolutionMillis the width of a slot
     * @param slots            slots in one turn, a power of two; one turn should outlast the longest
     *                         usual deadline (an idle timeout), so that a timer is visited only when due
     * @param nowMillis        the clock's time now: the first tick to visit
     */
    @SuppressWarnings("unchecked")
    public TimerWheel(long resolutionMillis, int slots, long nowMillis) {
        if (resolutionMillis <= 0 || slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("the resolution must be positive and the slots a power of two");
        }
        this.resolution = resolutionMillis;
        this.heads = (Timer<T>[]) new Timer<?>[slots];
        this.mask = slots - 1;
        this.nextTick = Math.floorDiv(nowMillis, resolutionMillis);
    }

    /** A timer for {@code owner}, not scheduled. */
    public Timer<T> newTimer(T owner) {
        return new Timer<>(this, owner);
    }

    /** Timers scheduled now. */
    public int size() {
        return size;
    }

    /**
     * Fires every timer whose deadline is at or before {@code nowMillis}, earliest first: each is
     * unscheduled, then handed to {@code action}, which may schedule it (or any other) again. A due timer
     * that an earlier action of the same call cancels or moves does not fire; a timer an action schedules
     * for a time already past fires on the next call. Returns how many fired.
     */
    public int expire(long nowMillis, Consumer<? super T> action) {
        long nowTick = Math.floorDiv(nowMillis, resolution);
        // A clock that jumps more than a turn ahead needs each slot visited once, not once per tick.
        long last = Math.min(nowTick, nextTick + mask);
        for (long tick = nextTick; tick <= last; tick++) {
            collect((int) (tick & mask), nowMillis);
        }
        if (nowTick >= nextTick) {
            nextTick = nowTick; // the current tick stays open: timers may still be scheduled into it
        }
        if (due.isEmpty()) {
            return 0;
        }
        if (due.size() > 1) {
            due.sort(BY_DEADLINE);
        }
        int fired = due.size();
        Timer<?>[] batch = due.toArray(new Timer<?>[0]);
        due.clear();
        for (Timer<?> timer : batch) {
            @SuppressWarnings("unchecked")
            Timer<T> t = (Timer<T>) timer;
            if (t.slot == DUE) { // not cancelled or moved by an earlier action of this call
                t.slot = IDLE;
                action.accept(t.owner);
            } else {
                fired--;
            }
        }
        return fired;
    }

    private void collect(int slot, long nowMillis) {
        Timer<T> t = heads[slot];
        while (t != null) {
            Timer<T> next = t.next;
            if (t.deadline <= nowMillis) {
                unlink(t);
                t.slot = DUE;
                due.add(t);
            }
            t = next;
        }
    }

    private void link(Timer<T> t, long deadline) {
        // A deadline in a tick already visited goes into the current one, which the next call visits.
        long tick = Math.max(Math.floorDiv(deadline, resolution), nextTick);
        int slot = (int) (tick & mask);
        t.deadline = deadline;
        t.slot = slot;
        t.prev = null;
        t.next = heads[slot];
        if (t.next != null) {
            t.next.prev = t;
        }
        heads[slot] = t;
        size++;
    }

    private void unlink(Timer<T> t) {
        if (t.prev != null) {
            t.prev.next = t.next;
        } else {
            heads[t.slot] = t.next;
        }
        if (t.next != null) {
            t.next.prev = t.prev;
        }
        t.next = null;
        t.prev = null;
        t.slot = IDLE;
        size--;
    }

    /** One deadline of one owner: scheduled at most once at a time. */
    public static final class Timer<T> {
        private final TimerWheel<T> wheel;
        private final T owner;
        private Timer<T> next;
        private Timer<T> prev;
        private long deadline;
        private int slot = IDLE;

        private Timer(TimerWheel<T> wheel, T owner) {
            this.wheel = wheel;
            this.owner = owner;
        }

        /** Schedules the timer for {@code deadlineMillis}, replacing any deadline it had. */
        public void schedule(long deadlineMillis) {
            if (slot >= 0) {
                if (deadline == deadlineMillis) {
                    return;
                }
                wheel.unlink(this);
            }
            wheel.link(this, deadlineMillis);
        }

        /** Unschedules the timer, if it was scheduled (also if it was due and has not fired yet). */
        public void cancel() {
            if (slot >= 0) {
                wheel.unlink(this);
            }
            slot = IDLE;
        }

        /** Whether the timer is scheduled, or due and about to fire in the current {@link #expire}. */
        public boolean isScheduled() {
            return slot != IDLE;
        }

        /** The deadline it is scheduled for; meaningful only while {@link #isScheduled()}. */
        public long deadline() {
            return deadline;
        }
    }
}
