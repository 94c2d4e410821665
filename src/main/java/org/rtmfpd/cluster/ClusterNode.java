package org.rtmfpd.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.rtmfpd.rendezvous.DeveloperKey;
import org.rtmfpd.rendezvous.LocalRendezvous;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's membership of a cluster: its {@link ClusterRendezvous}, its heartbeat (and sweep of dead
 * nodes) a few times per node lifetime, and its departure at shutdown. Wires; decides nothing.
 *
 * @param <H> the server's session handle
 */
public final class ClusterNode<H> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** How long a stopping node waits for the store to forget its peers before it leaves them to expire. */
    private static final long LEAVE_WAIT_MILLIS = 2_000;

    private final ClusterBackend backend;
    private final ClusterRendezvous<H> rendezvous;
    private final ScheduledFuture<?> heartbeats;
    private final Runnable beatNow;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ClusterNode(ClusterBackend backend, ClusterRendezvous<H> rendezvous, ScheduledFuture<?> heartbeats,
            Runnable beatNow) {
        this.backend = backend;
        this.rendezvous = rendezvous;
        this.heartbeats = heartbeats;
        this.beatNow = beatNow;
    }

    /**
     * This node's load as its heartbeats publish it.
     *
     * @param sessions    its sessions now
     * @param maxSessions the most it holds (max-sessions)
     * @param draining    whether it drains
     */
    public record Load(IntSupplier sessions, int maxSessions, BooleanSupplier draining) {
    }

    /**
     * Joins the cluster: first removes whatever a node of the same name left (it died without leaving),
     * then says it is alive, then takes the backend's state events. The rendezvous decides locally until
     * the store answers. Each heartbeat publishes {@code advertise} and {@code load} as they are then.
     *
     * @param loop the protocol thread: the rendezvous's answers and the heartbeats run there
     */
    public static <H> ClusterNode<H> join(ClusterSettings settings, ClusterBackend backend, LocalRendezvous<H> local,
            ScheduledExecutorService loop, Function<String, Optional<DeveloperKey>> keys,
            Supplier<List<String>> advertise, Load load) {
        ClusterRendezvous<H> rendezvous = new ClusterRendezvous<>(local, backend.store(), backend.courier(), loop, keys);
        String node = local.node();
        Runnable beat = () -> rendezvous.heartbeat(advertise.get(), load.sessions().getAsInt(), load.maxSessions(),
                load.draining().getAsBoolean()).exceptionally(failure -> {
                    LOG.debug("node {}: heartbeat failed ({})", node, failure.toString());
                    return null;
                });
        backend.store().leaveCluster(node).exceptionally(failure -> {
            LOG.debug("node {}: nothing removed at start ({})", node, failure.toString());
            return List.of();
        }).thenCompose(x -> rendezvous.heartbeat(advertise.get(), load.sessions().getAsInt(), load.maxSessions(),
                load.draining().getAsBoolean()))
                .whenComplete((v, failure) -> backend.onState(rendezvous::onStoreState));
        ScheduledFuture<?> heartbeats = loop.scheduleAtFixedRate(beat, settings.heartbeatMs(), settings.heartbeatMs(),
                TimeUnit.MILLISECONDS);
        LOG.info("cluster node {} (namespace {}, node lifetime {} ms)", node, settings.namespace(),
                settings.nodeLifetimeMs());
        return new ClusterNode<>(backend, rendezvous, heartbeats, () -> loop.execute(beat));
    }

    /** Says this node is alive, with its load, now rather than at the next period (a drain starts). */
    public void beatNow() {
        beatNow.run();
    }

    /** The node ID to use: the configured one, or the host name and a random suffix. */
    public static String nodeId(ClusterSettings settings) {
        if (settings.nodeId().isPresent()) {
            return settings.nodeId().get();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "");
        } catch (UnknownHostException e) {
            host = "";
        }
        byte[] suffix = new byte[3];
        new SecureRandom().nextBytes(suffix);
        String id = (host.isEmpty() ? "node" : host.substring(0, Math.min(host.length(), 50))) + "-"
                + HexFormat.of().formatHex(suffix);
        ClusterSettings.checkName("node-id", id);
        return id;
    }

    public ClusterBackend backend() {
        return backend;
    }

    public ClusterRendezvous<H> rendezvous() {
        return rendezvous;
    }

    /** Leaves the cluster: its peers are forgotten at once (rather than after the node lifetime). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        heartbeats.cancel(false);
        try {
            rendezvous.leaveCluster().toCompletableFuture().get(LEAVE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.info("node {} left without removing its peers ({}); they expire with the node lifetime",
                    rendezvous.node(), e.toString());
        }
        backend.close();
    }
}
