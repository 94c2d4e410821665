package org.rtmfpd.rendezvous;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.rtmfpd.wire.Limits;
import org.rtmfpd.wire.PeerAddress;
import org.rtmfpd.wire.PeerAddress.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Introductions by peer ID (RFC 7016 §3.5.1.4–§3.5.1.6): what the Redirect and the Forwarded IHello
 * carry once a rendezvous has allowed one, and the count of what was made and refused. The decision is
 * the rendezvous's (its registry and peer-cap ledger, local or cluster-wide); this class sends nothing.
 *
 * <p>The rules a rendezvous applies, in order: the initiator's session must be the registered one for
 * its peer ID (it connected, and was not replaced); the target must not be the initiator, must be
 * registered, with the same developer key, and the {@link IntroductionLedger} must allow the pair under
 * both sides' peer caps. Nothing is sent for a refusal.
 *
 * <p>Addresses: the Redirect lists the target's observed address (origin OBSERVED) and then its
 * reported addresses (origin REPORTED), without repeats. The Forwarded IHello carries one address of
 * the initiator: the IHello's source address (origin OBSERVED), except when both peers share one public
 * IP (the same LAN, or one carrier-grade NAT) and the initiator reported addresses: then its reported
 * addresses on a subnet that the target also reported come first, then the source address, then its
 * other reported addresses (peers behind two home NATs that share one carrier-grade NAT have the same
 * public IP but no common subnet), and each repeated IHello with the same tag takes the next one, round
 * the list. A target that reported nothing is taken to share every subnet. When the server sits behind a port-forwarding NAT ({@link ServerLan}) and one peer is on the
 * server's private network while the other is outside, the outside peer is given the inside peer's
 * address as the server's public address maps it: first in the Redirect, and as the Forwarded IHello's
 * address. Thread-safe.
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

    /** The answer of a rendezvous to an introduction request: {@link Introduce} or {@link Refused}. */
    public sealed interface Outcome<H> permits Introduce, Refused {
    }

    /**
     * Introduce: send {@code redirect} to the initiator in a Redirect, and {@code forward} to the
     * target in a Forwarded IHello.
     *
     * @param initiator the initiator's entry
     * @param target    the target, on this node or another
     * @param redirect  the target's addresses, observed first, no repeats
     * @param forward   the initiator's address to forward
     * @param newPair   true when this used a peer-cap slot on each side, false for a repeat
     */
    public record Introduce<H>(PeerRegistry.Entry<H> initiator, Peer target, List<PeerAddress> redirect,
            PeerAddress forward, boolean newPair) implements Outcome<H> {
        public Introduce {
            redirect = List.copyOf(redirect);
        }
    }

    /** Refuse: send nothing. */
    public record Refused<H>(Reason reason) implements Outcome<H> {
    }

    private final TagRotation rotation;
    private final ServerLan lan;
    private final Map<Reason, LongAdder> refusals = new EnumMap<>(Reason.class);
    private final LongAdder introductions = new LongAdder();
    private final LongAdder newPairs = new LongAdder();

    /** @param clock drives the expiry of the rotation memory */
    public Introducer(InstantSource clock) {
        this(clock, ServerLan.NONE);
    }

    /** @param lan the server's own private network, when it sits behind a NAT */
    public Introducer(InstantSource clock, ServerLan lan) {
        this(clock, ROTATION_CAPACITY, ROTATION_TTL, lan);
    }

    public Introducer(InstantSource clock, int rotationCapacity, Duration rotationTtl) {
        this(clock, rotationCapacity, rotationTtl, ServerLan.NONE);
    }

    private Introducer(InstantSource clock, int rotationCapacity, Duration rotationTtl, ServerLan lan) {
        this.lan = Objects.requireNonNull(lan, "lan");
        this.rotation = new TagRotation(rotationCapacity, rotationTtl, Objects.requireNonNull(clock, "clock"));
        for (Reason r : Reason.values()) {
            refusals.put(r, new LongAdder());
        }
    }

    /**
     * Checks the arguments of an introduction request. The tag is at most {@link Limits#MAX_IHELLO_TAG}
     * bytes: the server drops longer ones before they get here.
     */
    public static void check(PeerId initiatorPeer, Object handle, InetSocketAddress from, PeerId target, byte[] tag) {
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
    }

    /** The refusal a ledger decision means, or null when it allows the introduction. */
    public static Reason refusalOf(IntroductionLedger.Decision decision) {
        return switch (decision) {
            case REFUSED_INITIATOR_CAP -> Reason.INITIATOR_CAP;
            case REFUSED_TARGET_CAP -> Reason.TARGET_CAP;
            case REFUSED_INITIATOR_GONE -> Reason.INITIATOR_NOT_REGISTERED;
            case REFUSED_TARGET_GONE -> Reason.UNKNOWN_TARGET;
            case INTRODUCED, ALREADY_INTRODUCED -> null;
        };
    }

    /**
     * An allowed introduction of {@code initiator}, whose IHello came from {@code from}, to {@code target}:
     * its addresses, counted.
     */
    public Introduce<H> introduce(PeerRegistry.Entry<H> initiator, InetSocketAddress from, Peer target, byte[] tag,
            boolean newPair) {
        introductions.increment();
        if (newPair) {
            newPairs.increment();
        }
        PeerAddress forward = forwardAddress(initiator, from, target, tag);
        log.debug("introducing {} to {}: forwarding {}", initiator.peerId(), target.peerId(), forward.address());
        List<PeerAddress> redirect = redirectList(target);
        Optional<InetSocketAddress> outside = lan.outside(target.observed(), from);
        if (outside.isPresent()) {
            redirect.add(0, new PeerAddress(outside.get(), Origin.OBSERVED));
        }
        return new Introduce<>(initiator, target, redirect, forward, newPair);
    }

    /** A refusal, counted and logged. */
    public Refused<H> refuse(Reason reason, PeerId initiator, InetSocketAddress from, PeerId target) {
        refusals.get(reason).increment();
        log.debug("no introduction to {} for {} at {}: {}", target, initiator, from, reason);
        return new Refused<>(reason);
    }

    /**
     * The addresses a Redirect gives for {@code target}: its observed address (OBSERVED) and then its
     * reported addresses (REPORTED), no repeats.
     */
    public static List<PeerAddress> redirectList(Peer target) {
        List<PeerAddress> out = new ArrayList<>(1 + target.reported().size());
        out.add(new PeerAddress(target.observed(), Origin.OBSERVED));
        for (InetSocketAddress a : target.reported()) {
            if (!a.equals(target.observed()) && out.stream().noneMatch(p -> p.address().equals(a))) {
                out.add(new PeerAddress(a, Origin.REPORTED));
            }
        }
        return out;
    }

    private PeerAddress forwardAddress(PeerRegistry.Entry<H> initiator, InetSocketAddress from, Peer target,
            byte[] tag) {
        return forwardAddress(initiator.reported(), from, target, tag);
    }

    /**
     * The initiator's address a Forwarded IHello gives {@code target}, from the IHello's source
     * {@code from} and the initiator's reported addresses (for a target held by another node than the
     * initiator: that node sends it).
     */
    public PeerAddress forwardAddress(List<InetSocketAddress> initiatorReported, InetSocketAddress from, Peer target,
            byte[] tag) {
        Optional<InetSocketAddress> outside = lan.outside(from, target.observed());
        if (outside.isPresent()) {
            return new PeerAddress(outside.get(), Origin.OBSERVED);
        }
        PeerAddress observed = new PeerAddress(from, Origin.OBSERVED);
        if (!from.getAddress().equals(target.observed().getAddress())) {
            return observed;
        }
        List<PeerAddress> near = new ArrayList<>();
        List<PeerAddress> far = new ArrayList<>();
        for (InetSocketAddress a : initiatorReported) {
            if (!a.equals(from)) {
                boolean sameSubnet = target.reported().stream().anyMatch(t -> Subnets.same(a.getAddress(), t.getAddress()));
                (sameSubnet || target.reported().isEmpty() ? near : far).add(new PeerAddress(a, Origin.REPORTED));
            }
        }
        if (near.isEmpty() && far.isEmpty()) {
            return observed;
        }
        List<PeerAddress> candidates = new ArrayList<>(near);
        candidates.add(observed);
        candidates.addAll(far);
        long repeat = rotation.next(target.peerId(), tag);
        return candidates.get((int) (repeat % candidates.size()));
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
