package org.rtmfpd.rendezvous;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;
import org.rtmfpd.wire.Limits;
import org.rtmfpd.wire.PeerAddress;
import org.rtmfpd.wire.PeerAddress.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what to do with an IHello whose EPD is a peer ID (RFC 7016 §3.5.1.4–§3.5.1.6): either
 * introduce (a Redirect to the initiator and a Forwarded IHello to the target) or refuse, silently.
 * It sends nothing itself; the server turns an {@link Introduce} into the two chunks.
 *
 * <p>The initiator is named by the server: it found the session that the IHello's source address holds
 * (its one address index) and passes that session's peer ID and handle. The rules, in order: that
 * session must be the registered one for its peer ID (it connected, and was not replaced); the target
 * must not be the initiator, must be registered, with the same developer key, and the
 * {@link IntroductionLedger} must allow the pair under both sides' peer caps.
 *
 * <p>Addresses: the Redirect lists the target's observed address (origin OBSERVED) and then its
 * reported addresses (origin REPORTED), without repeats. The Forwarded IHello carries one address of
 * the initiator: the IHello's source address (origin OBSERVED), except when both peers share one public
 * IP (the same LAN) and the initiator reported addresses: then its reported addresses come first and
 * the source address last, and each repeated IHello with the same tag takes the next one, round the
 * list. Thread-safe.
 *
 * @param <H> the server's session handle
 */
public final class Introducer<H> {
    /** How long a (target, tag) is remembered for rotation: an initiator gives up after 95 s. */
    public static final Duration ROTATION_TTL = Duration.ofSeconds(95);
    /** How many (target, tag) pairs are remembered for rotation. */
    public static final int ROTATION_CAPACITY = 4096;

    private static final Logger log = LoggerFactory.getLogger(Introducer.class);

    /** Why an introduction was refused. Nothing is sent for any of them. */
    public enum Reason {
        /** The initiator's session is not the one registered for its peer ID: it has not connected, or was replaced. */
        INITIATOR_NOT_REGISTERED,
        /** The initiator asked for its own peer ID. */
        SELF,
        /** No client is registered under the target peer ID (or it has just gone). */
        UNKNOWN_TARGET,
        /** The target is registered under another developer key. */
        OTHER_DEVELOPER_KEY,
        /** The initiator has been introduced to as many connected peers as its cap allows. */
        INITIATOR_CAP,
        /** The target has been introduced to as many connected peers as its cap allows. */
        TARGET_CAP
    }

    /** The answer of {@link #introduce}: {@link Introduce} or {@link Refused}. */
    public sealed interface Outcome<H> permits Introduce, Refused {
    }

    /**
     * Introduce: send {@code redirect} to the initiator in a Redirect, and {@code forward} to the
     * target in a Forwarded IHello.
     *
     * @param initiator the initiator's entry
     * @param target    the target's entry (its handle is the session to send the FIHello in)
     * @param redirect  the target's addresses, observed first, no repeats
     * @param forward   the initiator's address to forward
     * @param newPair   true when this used a peer-cap slot on each side, false for a repeat
     */
    public record Introduce<H>(PeerRegistry.Entry<H> initiator, PeerRegistry.Entry<H> target,
            List<PeerAddress> redirect, PeerAddress forward, boolean newPair) implements Outcome<H> {
        public Introduce {
            redirect = List.copyOf(redirect);
        }
    }

    /** Refuse: send nothing. */
    public record Refused<H>(Reason reason) implements Outcome<H> {
    }

    private final PeerRegistry<H> registry;
    private final IntroductionLedger ledger;
    private final ToIntFunction<String> peerCapOfKey;
    private final TagRotation rotation;
    private final Map<Reason, LongAdder> refusals = new EnumMap<>(Reason.class);
    private final LongAdder introductions = new LongAdder();
    private final LongAdder newPairs = new LongAdder();

    /**
     * @param registry     the registered clients
     * @param ledger       the peer-cap accounting; every registered client must be connected there
     * @param peerCapOfKey the peer cap of a developer key (its own, or the server's peer-cap)
     * @param clock        drives the expiry of the rotation memory
     */
    public Introducer(PeerRegistry<H> registry, IntroductionLedger ledger, ToIntFunction<String> peerCapOfKey,
            InstantSource clock) {
        this(registry, ledger, peerCapOfKey, clock, ROTATION_CAPACITY, ROTATION_TTL);
    }

    public Introducer(PeerRegistry<H> registry, IntroductionLedger ledger, ToIntFunction<String> peerCapOfKey,
            InstantSource clock, int rotationCapacity, Duration rotationTtl) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.peerCapOfKey = Objects.requireNonNull(peerCapOfKey, "peerCapOfKey");
        this.rotation = new TagRotation(rotationCapacity, rotationTtl, Objects.requireNonNull(clock, "clock"));
        for (Reason r : Reason.values()) {
            refusals.put(r, new LongAdder());
        }
    }

    /**
     * Decides on an IHello for peer {@code target} with tag {@code tag}, received from {@code from} in
     * the session {@code handle} of peer {@code initiatorPeer}. Counts the outcome. The tag is at most
     * {@link Limits#MAX_IHELLO_TAG} bytes: the server drops longer ones before they get here.
     *
     * @param initiatorPeer the peer ID of the session that the IHello's source address holds
     * @param handle        that session, compared by identity with the registered one
     * @param from          the IHello's source address: the initiator's address to forward (and log)
     */
    public Outcome<H> introduce(PeerId initiatorPeer, H handle, InetSocketAddress from, PeerId target, byte[] tag) {
        Objects.requireNonNull(initiatorPeer, "initiatorPeer");
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(target, "target");
        if (from.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + from);
        }
        if (tag.length > Limits.MAX_IHELLO_TAG) {
            throw new IllegalArgumentException("tag of " + tag.length + " bytes; the limit is " + Limits.MAX_IHELLO_TAG);
        }
        PeerRegistry.Entry<H> initiator = registry.find(initiatorPeer).filter(e -> e.handle() == handle).orElse(null);
        if (initiator == null) {
            return refuse(Reason.INITIATOR_NOT_REGISTERED, initiatorPeer, from, target);
        }
        if (initiator.peerId().equals(target)) {
            return refuse(Reason.SELF, initiatorPeer, from, target);
        }
        PeerRegistry.Entry<H> found = registry.find(target).orElse(null);
        if (found == null) {
            return refuse(Reason.UNKNOWN_TARGET, initiatorPeer, from, target);
        }
        if (!found.developerKey().equals(initiator.developerKey())) {
            return refuse(Reason.OTHER_DEVELOPER_KEY, initiatorPeer, from, target);
        }
        int cap = peerCapOfKey.applyAsInt(initiator.developerKey());
        IntroductionLedger.Decision decision = ledger.tryIntroduce(initiator.peerId(), target, cap, cap);
        switch (decision) {
            case REFUSED_INITIATOR_CAP:
                return refuse(Reason.INITIATOR_CAP, initiatorPeer, from, target);
            case REFUSED_TARGET_CAP:
                return refuse(Reason.TARGET_CAP, initiatorPeer, from, target);
            case REFUSED_INITIATOR_GONE:
                return refuse(Reason.INITIATOR_NOT_REGISTERED, initiatorPeer, from, target);
            case REFUSED_TARGET_GONE:
                return refuse(Reason.UNKNOWN_TARGET, initiatorPeer, from, target);
            default:
                break;
        }
        boolean newPair = decision == IntroductionLedger.Decision.INTRODUCED;
        introductions.increment();
        if (newPair) {
            newPairs.increment();
        }
        PeerAddress forward = forwardAddress(initiator, from, found, tag);
        log.debug("introducing {} to {}: forwarding {}", initiator.peerId(), target, forward.address());
        return new Introduce<>(initiator, found, redirectList(found), forward, newPair);
    }

    /**
     * The addresses a Redirect gives for {@code target}: its observed address (OBSERVED) and then its
     * reported addresses (REPORTED), no repeats.
     */
    public static List<PeerAddress> redirectList(PeerRegistry.Entry<?> target) {
        List<PeerAddress> out = new ArrayList<>(1 + target.reported().size());
        out.add(new PeerAddress(target.observed(), Origin.OBSERVED));
        for (InetSocketAddress a : target.reported()) {
            if (!a.equals(target.observed()) && out.stream().noneMatch(p -> p.address().equals(a))) {
                out.add(new PeerAddress(a, Origin.REPORTED));
            }
        }
        return out;
    }

    private PeerAddress forwardAddress(PeerRegistry.Entry<H> initiator, InetSocketAddress from,
            PeerRegistry.Entry<H> target, byte[] tag) {
        PeerAddress observed = new PeerAddress(from, Origin.OBSERVED);
        if (!from.getAddress().equals(target.observed().getAddress())) {
            return observed;
        }
        List<PeerAddress> candidates = new ArrayList<>();
        for (InetSocketAddress a : initiator.reported()) {
            if (!a.equals(from)) {
                candidates.add(new PeerAddress(a, Origin.REPORTED));
            }
        }
        if (candidates.isEmpty()) {
            return observed;
        }
        candidates.add(observed);
        long repeat = rotation.next(target.peerId(), tag);
        return candidates.get((int) (repeat % candidates.size()));
    }

    private Refused<H> refuse(Reason reason, PeerId initiator, InetSocketAddress from, PeerId target) {
        refusals.get(reason).increment();
        log.debug("no introduction to {} for {} at {}: {}", target, initiator, from, reason);
        return new Refused<>(reason);
    }

    /** Introductions made, repeats included (each one is a Redirect and a Forwarded IHello). */
    public long introductionCount() {
        return introductions.sum();
    }

    /** Introductions that used a peer-cap slot: distinct pairs introduced. */
    public long newPairCount() {
        return newPairs.sum();
    }

    /** Refusals for {@code reason}. */
    public long refusalCount(Reason reason) {
        return refusals.get(reason).sum();
    }

    /** Pairs remembered for address rotation (a gauge). */
    public int rotationMemorySize() {
        return rotation.size();
    }
}
