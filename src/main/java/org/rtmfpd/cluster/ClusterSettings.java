package org.rtmfpd.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Cluster mode's settings ({@code cluster-*}, {@code node-id} and {@code advertise} in rtmfpd.conf;
 * docs/cluster.md). Off unless {@code redis} is set.
 *
 * @param redis             the Redis (or Valkey) URI: {@code redis://}, {@code rediss://},
 *                          {@code redis-sentinel://} or {@code redis-cluster://}
 * @param redisPasswordFile a file whose first line is the Redis password (kept out of the URI and the
 *                          configuration file)
 * @param redisCaFile       PEM certificates of the CAs to trust for {@code rediss://} (instead of the JDK's)
 * @param namespace         the prefix of every Redis key, so that clusters can share one Redis
 * @param nodeId            this node's name in the cluster; a fresh one each start when empty
 * @param advertise         the public addresses clients reach this node at ({@code HOST:PORT})
 * @param nodeLifetimeMs    a node silent for this long is dead: its peers are no longer introduced
 * @param redisTimeoutMs    a Redis call not answered within this long fails (and is decided locally)
 * @param drainTimeoutMs    how long a draining node (SIGUSR1) waits for its clients to leave before it stops
 */
public record ClusterSettings(Optional<String> redis, Optional<Path> redisPasswordFile, Optional<Path> redisCaFile,
        String namespace,
        Optional<String> nodeId, List<String> advertise, int nodeLifetimeMs, int redisTimeoutMs, int drainTimeoutMs) {
    public static final String DEFAULT_NAMESPACE = "rtmfpd";
    public static final int DEFAULT_NODE_LIFETIME_MS = 10_000;
    public static final int MIN_NODE_LIFETIME_MS = 2_000;
    public static final int MAX_NODE_LIFETIME_MS = 600_000;
    public static final int DEFAULT_REDIS_TIMEOUT_MS = 1_000;
    public static final int MIN_REDIS_TIMEOUT_MS = 10;
    public static final int MAX_REDIS_TIMEOUT_MS = 60_000;
    public static final int DEFAULT_DRAIN_TIMEOUT_MS = 60_000;
    public static final int MAX_DRAIN_TIMEOUT_MS = 86_400_000;
    /** Names usable in Redis keys and channels, and in logs, as they are. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    /** Off, with the defaults for when it is turned on. */
    public static final ClusterSettings DEFAULTS = new ClusterSettings(Optional.empty(), Optional.empty(),
            Optional.empty(), DEFAULT_NAMESPACE, Optional.empty(), List.of(),
            DEFAULT_NODE_LIFETIME_MS, DEFAULT_REDIS_TIMEOUT_MS,
            DEFAULT_DRAIN_TIMEOUT_MS);

    public ClusterSettings {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(redisPasswordFile, "redisPasswordFile");
        Objects.requireNonNull(redisCaFile, "redisCaFile");
        redis.ifPresent(uri -> {
            try {
                RedisConnection.check(uri);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cluster-redis: " + e.getMessage(), e);
            }
        });
        checkName("cluster-namespace", namespace);
        nodeId.ifPresent(id -> checkName("node-id", id));
        advertise = List.copyOf(advertise);
        if (nodeLifetimeMs < MIN_NODE_LIFETIME_MS || nodeLifetimeMs > MAX_NODE_LIFETIME_MS) {
            throw new IllegalArgumentException("cluster-node-lifetime-ms must be from " + MIN_NODE_LIFETIME_MS + " to "
                    + MAX_NODE_LIFETIME_MS + ", got " + nodeLifetimeMs);
        }
        if (drainTimeoutMs < 0 || drainTimeoutMs > MAX_DRAIN_TIMEOUT_MS) {
            throw new IllegalArgumentException("drain-timeout-ms must be from 0 to " + MAX_DRAIN_TIMEOUT_MS + ", got "
                    + drainTimeoutMs);
        }
        if (redisTimeoutMs < MIN_REDIS_TIMEOUT_MS || redisTimeoutMs > MAX_REDIS_TIMEOUT_MS) {
            throw new IllegalArgumentException("cluster-redis-timeout-ms must be from " + MIN_REDIS_TIMEOUT_MS + " to "
                    + MAX_REDIS_TIMEOUT_MS + ", got " + redisTimeoutMs);
        }
    }

    /** Whether cluster mode is on. */
    public boolean enabled() {
        return redis.isPresent();
    }

    /** How often a node says it is alive: four times per lifetime, so that one lost heartbeat is harmless. */
    public int heartbeatMs() {
        return nodeLifetimeMs / 4;
    }

    static void checkName(String option, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(option + " must be 1 to 64 letters, digits, '_', '.', ':' or '-', got '"
                    + value + "'");
        }
    }

    public ClusterSettings withRedis(Optional<String> uri) {
        return new ClusterSettings(uri, redisPasswordFile, redisCaFile, namespace,
                nodeId, advertise, nodeLifetimeMs, redisTimeoutMs, drainTimeoutMs);
    }

    public ClusterSettings withRedisPasswordFile(Optional<Path> file) {
        return new ClusterSettings(redis, file, redisCaFile, namespace,
                nodeId, advertise, nodeLifetimeMs, redisTimeoutMs, drainTimeoutMs);
    }

    public ClusterSettings withRedisCaFile(Optional<Path> file) {
        return new ClusterSettings(redis, redisPasswordFile, file, namespace, nodeId, advertise, nodeLifetimeMs,
                redisTimeoutMs, drainTimeoutMs);
    }

    public ClusterSettings withNamespace(String ns) {
        return new ClusterSettings(redis, redisPasswordFile, redisCaFile, ns,
                nodeId, advertise, nodeLifetimeMs, redisTimeoutMs, drainTimeoutMs);
    }

    public ClusterSettings withNodeId(Optional<String> id) {
        return new ClusterSettings(redis, redisPasswordFile, redisCaFile, namespace,
                id, advertise, nodeLifetimeMs, redisTimeoutMs, drainTimeoutMs);
    }

    /** These settings with one more advertised address. */
    public ClusterSettings withAdvertise(String hostPort) {
        List<String> more = new java.util.ArrayList<>(advertise);
        more.add(hostPort);
        return new ClusterSettings(redis, redisPasswordFile, redisCaFile, namespace,
                nodeId, more, nodeLifetimeMs, redisTimeoutMs, drainTimeoutMs);
    }

    /** These settings with no advertised address (the command line's replace the file's). */
    public ClusterSettings withoutAdvertise() {
        return new ClusterSettings(redis, redisPasswordFile, redisCaFile, namespace, nodeId, List.of(), nodeLifetimeMs,
                redisTimeoutMs, drainTimeoutMs);
    }

    public ClusterSettings withNodeLifetimeMs(int ms) {
        return new ClusterSettings(redis, redisPasswordFile, redisCaFile, namespace,
                nodeId, advertise, ms, redisTimeoutMs, drainTimeoutMs);
    }

    public ClusterSettings withRedisTimeoutMs(int ms) {
        return new ClusterSettings(redis, redisPasswordFile, redisCaFile, namespace,
                nodeId, advertise, nodeLifetimeMs, ms, drainTimeoutMs);
    }

    public ClusterSettings withDrainTimeoutMs(int ms) {
        return new ClusterSettings(redis, redisPasswordFile, redisCaFile, namespace, nodeId, advertise, nodeLifetimeMs,
                redisTimeoutMs, ms);
    }
}
