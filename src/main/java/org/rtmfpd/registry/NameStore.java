package org.rtmfpd.registry;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.rtmfpd.rendezvous.PeerId;

/**
 * The registrations of the name registry: which peer ID each user name of each developer key stands
 * for, and since when it was last refreshed. Names of one developer key are invisible to every other.
 * Every method answers with a {@link CompletionStage}, so that a store on another machine (Redis, in
 * cluster mode) fits behind the same calls as the in-memory one; callers never block on it.
 *
 * <p>A registration that is not refreshed for longer than the store's expiry is gone: lookups no longer
 * see it and anyone may register the name. {@link #register} is also the refresh: the same name with the
 * same peer ID moves its expiry forward.
 *
 * <p>The rules a store enforces itself are the ones that must be atomic: a name bound to one peer ID is
 * never silently rebound to another ({@link #register} reports {@link Outcome#HELD} and names the
 * holder; {@link #takeOver} and {@link #unregister} only act if the holder is still the one the caller
 * saw), and the store's size bounds. Whether a holder is still connected, and so may lose its name, is
 * the caller's decision ({@link RegistryService}), taken between the two calls.
 *
 * <p><b>For a Redis implementation</b> (cluster mode), so that any node answers for all:
 * <ul>
 *   <li>one Redis key per registration, such as {@code rtmfpd:name:{developer key}:{folded name}},
 *       named by {@link UserName#folded()} so that every node compares names the same way, holding the
 *       peer ID (and the name as registered); the developer key in the Redis key is hashed, never
 *       stored in clear;</li>
 *   <li>its TTL is the expiry ({@code SET ... PX expiry}) and is set again on every register and
 *       refresh, so that expiry needs no sweep and a dead node's names go by themselves ({@link #sweep}
 *       may then do nothing);</li>
 *   <li>{@link #register}, {@link #takeOver} and {@link #unregister} are each one Lua script
 *       ({@code EVALSHA}): read the holder, compare it with the peer ID given (or the one expected), and
 *       only then {@code SET PX} or {@code DEL}, so that two nodes racing for one name cannot both win;</li>
 *   <li>the bounds are counters the same scripts keep in step (per developer key and in total), so
 *       that a store full on one node is full on all;</li>
 *   <li>a failed or timed-out Redis call completes the stage exceptionally; the HTTP service answers
 *       it with a 503 and never with a stale answer.</li>
 * </ul>
 */
public interface NameStore {
    /** What {@link #register} did. */
    enum Outcome {
        /** The name was free (or expired); it now stands for the peer ID given. */
        REGISTERED,
        /** The name already stood for this peer ID; its expiry starts again. */
        REFRESHED,
        /** The name stands for another peer ID, {@link Registration#holder()}; nothing changed. */
        HELD,
        /** The developer key holds as many names as the store allows one key; nothing changed. */
        KEY_FULL,
        /** The store holds as many names as it allows in all; nothing changed. */
        STORE_FULL
    }

    /**
     * The outcome of {@link #register}.
     *
     * @param outcome what was done
     * @param holder  for {@link Outcome#HELD}, the peer ID the name stands for
     */
    record Registration(Outcome outcome, Optional<PeerId> holder) {
        public boolean done() {
            return outcome == Outcome.REGISTERED || outcome == Outcome.REFRESHED;
        }
    }

    /**
     * A live registration.
     *
     * @param name           the name as it was registered (it may differ from the one asked in case)
     * @param peer           the peer ID it stands for
     * @param refreshedMillis when it was registered or last refreshed
     */
    record Binding(UserName name, PeerId peer, long refreshedMillis) {
    }

    /**
     * Binds {@code name} of {@code developerKey} to {@code peer}, or refreshes it if it already is;
     * refuses ({@link Outcome#HELD}) if a live registration binds it to another peer ID.
     */
    CompletionStage<Registration> register(String developerKey, UserName name, PeerId peer, long nowMillis);

    /**
     * Rebinds {@code name} from {@code holder} to {@code peer}, only if it is still bound to
     * {@code holder} (or has meanwhile expired or been removed); true if it now stands for {@code peer}.
     * The caller has decided that {@code holder} may lose it.
     */
    CompletionStage<Boolean> takeOver(String developerKey, UserName name, PeerId holder, PeerId peer,
            long nowMillis);

    /** The live registration of {@code name} of {@code developerKey}, if any. */
    CompletionStage<Optional<Binding>> lookup(String developerKey, UserName name, long nowMillis);

    /** Removes {@code name} of {@code developerKey} if it is bound to {@code holder}; true if removed. */
    CompletionStage<Boolean> unregister(String developerKey, UserName name, PeerId holder, long nowMillis);

    /** Forgets every expired registration; answers how many. */
    CompletionStage<Integer> sweep(long nowMillis);

    /** Live and not yet swept registrations, all keys (for metrics). */
    int size();
}
