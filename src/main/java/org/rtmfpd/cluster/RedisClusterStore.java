package org.rtmfpd.cluster;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.rtmfpd.rendezvous.GroupId;
import org.rtmfpd.rendezvous.Introducer;
import org.rtmfpd.rendezvous.NetGroups;
import org.rtmfpd.rendezvous.Peer;
import org.rtmfpd.rendezvous.PeerId;
import org.rtmfpd.rendezvous.PeerRegistry;

/**
 * The {@link ClusterStore} in Redis: one Lua script per call (loaded by SHA, re-loaded on NOSCRIPT),
 * so that each read-then-write is atomic across nodes, with the semantics of {@code PeerRegistry},
 * and {@code NetGroups} in one process. The peer-cap ledger is not here: each node owns its peers' part
 * ({@link ClusterRendezvous}); {@link #route} only finds a target and hands its node the question.
 *
 * <p><b>Data model.</b> {@code P} is {@code {NS}} (the namespace in a hash tag, {@code {rtmfpd}} by
 * default), so every key of a namespace sits in one Redis Cluster slot and multi-key scripts run there.
 * <ul>
 *   <li>{@code P:nodes} ZSET node → last heartbeat (ms); {@code P:nodeinfo} HASH node →
 *       {@code advertised addresses (comma list)|sessions|max sessions|1 if draining} (its load, for
 *       redirects).</li>
 *   <li>{@code P:peers} HASH peer ID (hex) → {@code keyHash|node|observed|reported,…}. The developer
 *       key is never stored: {@code keyHash} is the first 32 hex digits of its SHA-256, turned back into
 *       the key by the constructor's {@code keyOfHash} (a peer whose key no longer resolves is absent).
 *       Addresses are {@code a.b.c.d:port} or {@code [v6]:port}.</li>
 *   <li>{@code P:nodepeers:<node>} SET of the node's peer IDs (for sweep and leaveCluster).</li>
 *   <li>{@code P:keypeers} HASH {@code keyHash|node} → peers of that key on that node; max-sessions
 *       sums the fields of live nodes only, so a dead node's peers stop counting at once.</li>
 *   <li>{@code P:group:<keyHash>:<groupHex>} ZSET member peer ID → score {@code seq × 16384 + cap},
 *       {@code seq} from the counter {@code P:seq} (join order, exact to 2^39 joins), {@code cap} the
 *       member's cap at its join (for the leave referral's window).</li>
 *   <li>{@code P:peergroups} HASH peer ID → comma list of {@code keyHash:groupHex} (its groups);
 *       {@code P:nodegroups:<node>} HASH {@code keyHash:groupHex} → the node's members in it.</li>
 * </ul>
 *
 * <p><b>Liveness.</b> Scripts take {@code now} from the injected clock; a node is dead when
 * {@code now − heartbeat > nodeLifetime}. A dead node's peers are never paired, returned, counted or
 * handed out, even before {@link #sweep} removes them. A peer can only be admitted on a live node (call
 * {@link #heartbeat} first); otherwise the stage fails.
 *
 * <p><b>TTLs.</b> Every key expires after 3 × the node lifetime unless refreshed: the shared keys by
 * every write and every heartbeat; the own keys of every node still listed in {@code P:nodes} (dead or
 * alive, until a sweep removes it) by any node's heartbeat, so that a dead node's index outlives its
 * records; a group by each join and by the heartbeat of each node with members in it. So nothing
 * outlives the last node that needs it, and when every node is gone everything expires.
 *
 * <p><b>Costs.</b> Calls are O(cap) except: a join scans back from the newest member past dead ones;
 * max-sessions reads one field per live node; {@link #sweep} and {@link #leaveCluster} remove a node's
 * peers in scripts of at most {@value #DEFAULT_REMOVAL_BATCH} peers each, so that Redis is never held
 * for long (10,000 peers with a group place and a pair each took 0.4 to 0.9 s in all, in RedisMemoryTest
 * on a loaded two-CPU machine). {@link #leaveCluster} first marks the node dead, so a sweep finishes
 * the removal if the leaving node stops half-way.
 *
 * <p>Random member of a join: the random number comes from Java (a script's own is deterministic); the
 * pick is the live older member at or nearest below the drawn rank, so dead members not yet swept
 * slightly favour their live neighbours.
 */
public final class RedisClusterStore implements ClusterStore {
    /** The default node lifetime: a node silent for longer is dead. */
    public static final Duration DEFAULT_NODE_LIFETIME = Duration.ofSeconds(10);
    /** The default namespace. */
    public static final String DEFAULT_NAMESPACE = "rtmfpd";
    /** The most peers one sweep or leaveCluster script removes; the call goes on in further scripts. */
    public static final int DEFAULT_REMOVAL_BATCH = 500;
    /** Largest peer cap a group score can hold. */
    public static final int MAX_CAP = RedisScripts.CAP_BITS_MULTIPLIER - 1;

    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9._:@-]{1,100}");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final RedisScripts.Script HEARTBEAT = RedisScripts.Script.of("heartbeat", RedisScripts.HEARTBEAT);
    private static final RedisScripts.Script ADMIT = RedisScripts.Script.of("admit", RedisScripts.ADMIT);
    private static final RedisScripts.Script UPDATE = RedisScripts.Script.of("update", RedisScripts.UPDATE);
    private static final RedisScripts.Script REMOVE = RedisScripts.Script.of("remove", RedisScripts.REMOVE);
    private static final RedisScripts.Script ROUTE = RedisScripts.Script.of("route", RedisScripts.ROUTE);
    private static final RedisScripts.Script FIND = RedisScripts.Script.of("find", RedisScripts.FIND);
    private static final RedisScripts.Script JOIN = RedisScripts.Script.of("join", RedisScripts.JOIN);
    private static final RedisScripts.Script LEAVE = RedisScripts.Script.of("leave", RedisScripts.LEAVE);
    private static final RedisScripts.Script SWEEP = RedisScripts.Script.of("sweep", RedisScripts.SWEEP);
    private static final RedisScripts.Script LEAVE_CLUSTER = RedisScripts.Script.of("leaveCluster",
            RedisScripts.LEAVE_CLUSTER);
    static final List<RedisScripts.Script> SCRIPTS = List.of(HEARTBEAT, ADMIT, UPDATE, REMOVE, ROUTE, FIND,
            JOIN, LEAVE, SWEEP, LEAVE_CLUSTER);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final RedisClusterAsyncCommands<String, byte[]> binary;
    private final String prefix;
    private final String[] routingKey;
    private final Function<String, Optional<String>> keyOfHash;
    private final LongSupplier clock;
    private final RandomGenerator random;
    private final long lifetime;
    private final long ttl;
    private final int maxGroupsPerPeer;
    private volatile int removalBatch = DEFAULT_REMOVAL_BATCH;

    /**
     * @param redis        the async commands (see {@link RedisConnection#commands()})
     * @param binary       the same connection's binary commands ({@link RedisConnection#binaryCommands()}),
     *                     for {@link #route}'s message
     * @param namespace    the key namespace, shared by the nodes of one cluster
     * @param keyOfHash    the developer key whose {@link #keyHash} is given, if it is still a key
     * @param clock        now, in ms (the scripts' idea of time)
     * @param random       for the random member of a join
     * @param nodeLifetime how long a node stays alive after its last heartbeat
     */
    public RedisClusterStore(RedisClusterAsyncCommands<String, String> redis,
            RedisClusterAsyncCommands<String, byte[]> binary, String namespace,
            Function<String, Optional<String>> keyOfHash, LongSupplier clock, RandomGenerator random,
            Duration nodeLifetime) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.binary = Objects.requireNonNull(binary, "binary");
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace must be 1-64 of A-Z a-z 0-9 . _ -, got '" + namespace + "'");
        }
        this.prefix = "{" + namespace + "}";
        this.routingKey = new String[] {prefix + ":nodes"};
        this.keyOfHash = Objects.requireNonNull(keyOfHash, "keyOfHash");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.lifetime = nodeLifetime.toMillis();
        if (lifetime < 1) {
            throw new IllegalArgumentException("node lifetime must be positive");
        }
        this.ttl = 3 * lifetime;
        this.maxGroupsPerPeer = NetGroups.DEFAULT_MAX_GROUPS_PER_PEER;
    }

    /** The key prefix, {@code {namespace}}. */
    public String prefix() {
        return prefix;
    }

    /** The first 32 hex digits of the SHA-256 of {@code developerKey}: its name in Redis. */
    public static String keyHash(String developerKey) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(developerKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Loads every script (optional: a call whose script is missing loads it and tries again). */
    public CompletionStage<Void> load() {
        CompletableFuture<?>[] all = SCRIPTS.stream()
                .map(s -> redis.scriptLoad(s.text()).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all);
    }

    @Override
    public CompletionStage<Admit> admit(Peer peer, int maxSessions) {
        checkNode(peer.node());
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be positive, got " + maxSessions);
        }
        String kh = keyHash(peer.developerKey());
        return this.<List<Object>>run(ADMIT, ScriptOutputType.MULTI, peer.peerId().toHex(), kh, peer.node(),
                addresses(peer), Integer.toString(maxSessions)).thenApply(r -> {
                    String status = (String) r.get(0);
                    if (status.equals("MAX_SESSIONS")) {
                        return new Admit(Admitted.MAX_SESSIONS, Optional.empty(), List.of());
                    }
                    List<Referral> refs = referrals((List<?>) r.get(2));
                    if (status.equals("REGISTERED")) {
                        return new Admit(Admitted.REGISTERED, Optional.empty(), refs);
                    }
                    String old = (String) r.get(1);
                    String oldKey = keyHashOf(old).equals(kh) ? peer.developerKey()
                            : keyOfHash.apply(keyHashOf(old)).orElse("");
                    return new Admit(Admitted.REPLACED, Optional.of(decodePeer(peer.peerId(), old, oldKey)), refs);
                });
    }

    @Override
    public CompletionStage<Void> update(Peer peer) {
        checkNode(peer.node());
        return this.<Long>run(UPDATE, ScriptOutputType.INTEGER, peer.peerId().toHex(), peer.node(), addresses(peer))
                .thenApply(r -> null);
    }

    @Override
    public CompletionStage<List<Referral>> remove(PeerId peer, String node) {
        checkNode(node);
        return this.<List<Object>>run(REMOVE, ScriptOutputType.MULTI, peer.toHex(), node).thenApply(this::referrals);
    }

    @Override
    public CompletionStage<Pairing> route(String developerKey, PeerId target, String node, byte[] ask) {
        checkNode(node);
        byte[][] args = {keyHash(developerKey).getBytes(StandardCharsets.US_ASCII),
            target.toHex().getBytes(StandardCharsets.US_ASCII), node.getBytes(StandardCharsets.US_ASCII), ask};
        return this.<List<Object>>runBinary(ROUTE, args).thenApply(r -> {
            String status = text(r.get(0));
            if (status.equals("REFUSED")) {
                return new Refused(Introducer.Reason.valueOf(text(r.get(1))));
            }
            Optional<Peer> t = resolve(target, text(r.get(1)));
            return t.<Pairing>map(Routed::new).orElseGet(() -> new Refused(Introducer.Reason.UNKNOWN_TARGET));
        });
    }

    private static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    @Override
    public CompletionStage<Optional<Peer>> find(PeerId peer) {
        return this.<String>run(FIND, ScriptOutputType.VALUE, peer.toHex())
                .thenApply(rec -> rec == null ? Optional.empty() : resolve(peer, rec));
    }

    @Override
    public CompletionStage<List<PeerId>> join(String developerKey, GroupId group, PeerId peer, String node, int cap,
            int maxGroupsPerPeer) {
        checkNode(node);
        checkCap(cap);
        if (maxGroupsPerPeer < 1) {
            throw new IllegalArgumentException("maxGroupsPerPeer must be positive");
        }
        return this.<List<Object>>run(JOIN, ScriptOutputType.MULTI, keyHash(developerKey), group.toHex(),
                peer.toHex(), node, Integer.toString(cap), Integer.toString(maxGroupsPerPeer),
                Double.toString(random.nextDouble())).thenApply(r -> {
                    List<PeerId> out = new ArrayList<>(r.size());
                    for (Object o : r) {
                        out.add(PeerId.fromHex((String) o));
                    }
                    return out;
                });
    }

    /** As {@link #join(String, GroupId, PeerId, String, int, int)} with NetGroups' default group limit. */
    public CompletionStage<List<PeerId>> join(String developerKey, GroupId group, PeerId peer, String node, int cap) {
        return join(developerKey, group, peer, node, cap, maxGroupsPerPeer);
    }

    @Override
    public CompletionStage<Optional<Referral>> leave(String developerKey, GroupId group, PeerId peer, String node) {
        checkNode(node);
        return this.<List<Object>>run(LEAVE, ScriptOutputType.MULTI, keyHash(developerKey), group.toHex(),
                peer.toHex(), node).thenApply(r -> referrals(r).stream().findFirst());
    }

    @Override
    public CompletionStage<Beat> heartbeat(NodeLoad load) {
        checkNode(load.node());
        String info = String.join(",", load.advertise()) + "|" + load.sessions() + "|" + load.maxSessions() + "|"
                + (load.draining() ? 1 : 0);
        return this.<List<Object>>run(HEARTBEAT, ScriptOutputType.MULTI, load.node(), info).thenApply(r -> {
            List<?> live = (List<?>) r.get(0);
            List<NodeLoad> nodes = new ArrayList<>();
            for (int i = 0; i + 1 < live.size(); i += 2) {
                parseLoad((String) live.get(i), (String) live.get(i + 1)).ifPresent(nodes::add);
            }
            return new Beat(nodes, ((Long) r.get(1)) == 1L);
        });
    }

    /** A node's {@code advertise|sessions|max|draining}; empty if it was written by an older version. */
    static Optional<NodeLoad> parseLoad(String node, String info) {
        String[] f = info.split("\\|", -1);
        if (f.length != 4) {
            return Optional.empty();
        }
        try {
            List<String> advertise = f[0].isEmpty() ? List.of() : List.of(f[0].split(","));
            return Optional.of(new NodeLoad(node, advertise, Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    f[3].equals("1")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Sweeps in calls of at most {@link #removalBatch} peers each, until no dead node is left. */
    @Override
    public CompletionStage<List<Referral>> sweep() {
        return drain(() -> this.<List<Object>>run(SWEEP, ScriptOutputType.MULTI, Integer.toString(removalBatch)),
                new ArrayList<>());
    }

    /** Removes the node's peers in calls of at most {@link #removalBatch} peers each. */
    @Override
    public CompletionStage<List<Referral>> leaveCluster(String node) {
        checkNode(node);
        return drain(() -> this.<List<Object>>run(LEAVE_CLUSTER, ScriptOutputType.MULTI, node,
                Integer.toString(removalBatch)), new ArrayList<>());
    }

    /** Sets how many peers one sweep or leaveCluster script removes at most (tests use small batches). */
    RedisClusterStore removalBatch(int peers) {
        if (peers < 1) {
            throw new IllegalArgumentException("batch must be positive");
        }
        this.removalBatch = peers;
        return this;
    }

    private CompletionStage<List<Referral>> drain(Supplier<CompletionStage<List<Object>>> step, List<Referral> acc) {
        return step.get().thenCompose(r -> {
            acc.addAll(referrals((List<?>) r.get(1)));
            return ((Long) r.get(0)) == 1L ? drain(step, acc) : CompletableFuture.completedFuture(List.copyOf(acc));
        });
    }

    /** The connection belongs to the caller ({@link RedisConnection}); nothing to close here. */
    @Override
    public void close() {
    }

    // ---- plumbing

    private <T> CompletionStage<T> run(RedisScripts.Script script, ScriptOutputType type, String... args) {
        String[] argv = new String[4 + args.length];
        argv[0] = prefix;
        argv[1] = Long.toString(clock.getAsLong());
        argv[2] = Long.toString(lifetime);
        argv[3] = Long.toString(ttl);
        System.arraycopy(args, 0, argv, 4, args.length);
        return reloadingOnNoScript(script, () -> this.<T>evalsha(script, type, argv));
    }

    /** As {@link #run} with arguments of bytes (answers of bytes too), on the binary commands. */
    private <T> CompletionStage<T> runBinary(RedisScripts.Script script, byte[]... args) {
        byte[][] argv = new byte[4 + args.length][];
        argv[0] = prefix.getBytes(StandardCharsets.UTF_8);
        argv[1] = Long.toString(clock.getAsLong()).getBytes(StandardCharsets.US_ASCII);
        argv[2] = Long.toString(lifetime).getBytes(StandardCharsets.US_ASCII);
        argv[3] = Long.toString(ttl).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(args, 0, argv, 4, args.length);
        return reloadingOnNoScript(script, () -> {
            try {
                return binary.<T>evalsha(script.sha(), ScriptOutputType.MULTI, routingKey, argv).toCompletableFuture();
            } catch (RuntimeException e) {
                return CompletableFuture.<T>failedFuture(e);
            }
        });
    }

    private <T> CompletionStage<T> reloadingOnNoScript(RedisScripts.Script script, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> first = call.get();
        return first.handle((v, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(v);
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RedisNoScriptException
                    || (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT"))) {
                return redis.scriptLoad(script.text()).toCompletableFuture().thenCompose(sha -> call.get());
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(Function.identity());
    }

    private <T> CompletableFuture<T> evalsha(RedisScripts.Script script, ScriptOutputType type, String[] argv) {
        try {
            return redis.<T>evalsha(script.sha(), type, routingKey, argv).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private List<Referral> referrals(List<?> raw) {
        List<Referral> out = new ArrayList<>(raw.size());
        for (Object o : raw) {
            List<?> r = (List<?>) o;
            Optional<String> key = keyOfHash.apply((String) r.get(0));
            if (key.isEmpty()) {
                continue;
            }
            out.add(new Referral(key.get(), GroupId.fromHex((String) r.get(1)), PeerId.fromHex((String) r.get(2)),
                    (String) r.get(3), PeerId.fromHex((String) r.get(4))));
        }
        return out;
    }

    private Optional<Peer> resolve(PeerId peer, String record) {
        return keyOfHash.apply(keyHashOf(record)).map(k -> decodePeer(peer, record, k));
    }

    private static String keyHashOf(String record) {
        return record.substring(0, record.indexOf('|'));
    }

    /** {@code keyHash|node|observed|reported,…} into a peer of {@code developerKey}. */
    static Peer decodePeer(PeerId peer, String record, String developerKey) {
        String[] f = record.split("\\|", -1);
        if (f.length != 4) {
            throw new IllegalStateException("malformed peer record in redis for " + peer);
        }
        List<InetSocketAddress> reported = new ArrayList<>();
        if (!f[3].isEmpty()) {
            for (String a : f[3].split(",")) {
                reported.add(parseAddress(a));
            }
        }
        return new Peer(developerKey, peer, parseAddress(f[2]), reported, f[1]);
    }

    /** The record's address part: {@code observed|reported,…}. */
    static String addresses(Peer peer) {
        StringBuilder b = new StringBuilder(formatAddress(peer.observed())).append('|');
        int n = 0;
        for (InetSocketAddress a : peer.reported()) {
            if (n == PeerRegistry.MAX_REPORTED) {
                break;
            }
            if (n++ > 0) {
                b.append(',');
            }
            b.append(formatAddress(a));
        }
        return b.toString();
    }

    static String formatAddress(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("address must be resolved: " + a);
        }
        String host = ip.getHostAddress();
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    static InetSocketAddress parseAddress(String s) {
        int colon = s.lastIndexOf(':');
        String host = s.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            // a numeric literal: no name lookup happens
            return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(s.substring(colon + 1)));
        } catch (UnknownHostException | RuntimeException e) {
            throw new IllegalStateException("malformed address in redis: " + s, e);
        }
    }

    private static void checkNode(String node) {
        if (node == null || !NODE_NAME.matcher(node).matches()) {
            throw new IllegalArgumentException("node name must be 1-100 of A-Z a-z 0-9 . _ : @ -, got '" + node + "'");
        }
    }

    private static void checkCap(int cap) {
        if (cap < 1 || cap > MAX_CAP) {
            throw new IllegalArgumentException("cap must be 1 to " + MAX_CAP + ", got " + cap);
        }
    }
}
