package org.rtmfpd.cluster;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.rtmfpd.handshake.Redirector;

/**
 * A cluster node's redirector (RFC 7016 §3.5.1.4, §3.5.1.7): while this node is full or draining, a new
 * client is sent to the least-loaded live nodes that are neither, by their advertised addresses, as the
 * nodes' heartbeats last published them. No such node (one node alone, or all full): answered here.
 */
public final class LoadRedirector implements Redirector {
    /** Nodes a Redirect lists at most: the client sends an IHello to each (rtmfp-cpp follows up to 5 addresses). */
    static final int MAX_NODES = 3;

    private final String node;
    private final Supplier<List<ClusterStore.NodeLoad>> live;
    private final BooleanSupplier draining;
    private List<ClusterStore.NodeLoad> seen;
    private List<InetSocketAddress> targets = List.of();

    /**
     * @param node     this node (never a target)
     * @param live     the live nodes with their load, as of the last heartbeat
     * @param draining whether this node is draining
     */
    public LoadRedirector(String node, Supplier<List<ClusterStore.NodeLoad>> live, BooleanSupplier draining) {
        this.node = Objects.requireNonNull(node, "node");
        this.live = Objects.requireNonNull(live, "live");
        this.draining = Objects.requireNonNull(draining, "draining");
    }

    @Override
    public List<InetSocketAddress> elsewhere(boolean full) {
        if (!full && !draining.getAsBoolean()) {
            return List.of();
        }
        List<ClusterStore.NodeLoad> now = live.get();
        if (now != seen) { // a new heartbeat's view: choose again
            seen = now;
            targets = choose(node, now);
        }
        return targets;
    }

    /** The advertised addresses of the least-loaded nodes other than {@code self} that take clients. */
    static List<InetSocketAddress> choose(String self, List<ClusterStore.NodeLoad> nodes) {
        List<InetSocketAddress> out = new ArrayList<>();
        nodes.stream()
                .filter(n -> !n.node().equals(self) && !n.full() && !n.advertise().isEmpty())
                .sorted(Comparator.comparingDouble(ClusterStore.NodeLoad::load)
                        .thenComparing(ClusterStore.NodeLoad::node))
                .limit(MAX_NODES)
                .forEach(n -> n.advertise().stream().map(LoadRedirector::address).filter(a -> !a.isUnresolved() && !a.getAddress().isAnyLocalAddress())
                        .findFirst().ifPresent(out::add));
        return List.copyOf(out);
    }

    /** {@code HOST:PORT} or {@code [V6]:PORT}; a host name is resolved here (advertise IP addresses to avoid it). */
    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, Math.max(0, colon));
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return InetSocketAddress.createUnresolved(hostPort, 0);
        }
    }
}
