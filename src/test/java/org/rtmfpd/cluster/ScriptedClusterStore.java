package org.rtmfpd.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.rtmfpd.rendezvous.GroupId;
import org.rtmfpd.rendezvous.Peer;
import org.rtmfpd.rendezvous.PeerId;

/**
 * A cluster store whose answers the test sets, recording each call by name: for the rules of
 * {@link ClusterRendezvous} (what it asks, what it does with each answer, and what it does when the
 * store fails), apart from Redis.
 */
final class ScriptedClusterStore implements ClusterStore {
    final List<String> calls = new ArrayList<>();
    /** When true, every call fails, as a call to an unreachable Redis does. */
    boolean failing;
    Supplier<Admit> admit = () -> new Admit(Admitted.REGISTERED, Optional.empty(), List.of());
    Supplier<Pairing> route = () -> new Refused(org.rtmfpd.rendezvous.Introducer.Reason.UNKNOWN_TARGET);
    /** The asks that routes published (to the target's node, in Redis). */
    final List<byte[]> asks = new ArrayList<>();
    Supplier<List<PeerId>> join = List::of;
    Supplier<List<Referral>> remove = List::of;
    Supplier<Optional<Referral>> leave = Optional::empty;
    Supplier<List<Referral>> sweep = List::of;
    /** The other nodes that heartbeats answer as alive. */
    final List<String> others = new ArrayList<>(List.of("node-2"));
    /** Whether heartbeats answer that the node was dead. */
    boolean lapsed;

    private <T> CompletionStage<T> answer(String call, Supplier<T> value) {
        calls.add(call);
        return failing ? CompletableFuture.failedFuture(new IllegalStateException("Redis is down"))
                : CompletableFuture.completedFuture(value.get());
    }

    @Override
    public CompletionStage<Admit> admit(Peer peer, int maxSessions) {
        return answer("admit " + peer.peerId() + " max " + maxSessions, admit);
    }

    @Override
    public CompletionStage<Void> update(Peer peer) {
        return answer("update " + peer.peerId() + " " + peer.reported(), () -> null);
    }

    @Override
    public CompletionStage<List<Referral>> remove(PeerId peer, String node) {
        return answer("remove " + peer + " on " + node, remove);
    }

    @Override
    public CompletionStage<Pairing> route(String developerKey, PeerId target, String node, byte[] ask) {
        return answer("route " + target + " from " + node, () -> {
            Pairing p = route.get();
            if (p instanceof Routed) {
                asks.add(ask);
            }
            return p;
        });
    }

    @Override
    public CompletionStage<Optional<Peer>> find(PeerId peer) {
        return answer("find " + peer, Optional::empty);
    }

    @Override
    public CompletionStage<List<PeerId>> join(String developerKey, GroupId group, PeerId peer, String node, int cap,
            int maxGroupsPerPeer) {
        return answer("join " + peer + " " + group, join);
    }

    @Override
    public CompletionStage<Optional<Referral>> leave(String developerKey, GroupId group, PeerId peer, String node) {
        return answer("leave " + peer + " " + group, leave);
    }

    @Override
    public CompletionStage<Beat> heartbeat(NodeLoad load) {
        return answer("heartbeat " + load.node(), () -> new Beat(live(load), lapsed));
    }

    private List<NodeLoad> live(NodeLoad load) {
        List<NodeLoad> out = new ArrayList<>(List.of(load));
        others.forEach(n -> out.add(new NodeLoad(n, List.of(), 0, 100, false)));
        return out;
    }

    @Override
    public CompletionStage<List<Referral>> sweep() {
        return answer("sweep", sweep);
    }

    @Override
    public CompletionStage<List<Referral>> leaveCluster(String node) {
        return answer("leaveCluster " + node, List::of);
    }

    @Override
    public void close() {
    }
}
