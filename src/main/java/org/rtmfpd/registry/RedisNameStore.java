package org.rtmfpd.registry;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.rtmfpd.rendezvous.PeerId;

/**
 * The {@link NameStore} of a cluster, in Redis, as the interface prescribes: any node answers for all.
 *
 * <p>Keys ({@code P} = {@code {NS}}, one Redis Cluster slot):
 * <ul>
 *   <li>{@code P:name:<keyHash>:<folded name>} STRING {@code peerHex|refreshedMillis|name as
 *       registered}, with {@code PX} = the expiry, set again on every register, refresh and take-over;
 *       {@code keyHash} is the first 32 hex digits of the developer key's SHA-256 (never the key);</li>
 *   <li>{@code P:names:<keyHash>} ZSET folded name → refreshed ms, and {@code P:names} ZSET
 *       {@code keyHash:folded} → refreshed ms: the bounds per developer key and in total, kept in step
 *       by the same scripts, so that a store full on one node is full on all. Both expire one expiry
 *       after their last write, with the newest name they index: nothing is left once every name has
 *       expired.</li>
 * </ul>
 * A registration is live while its key exists and {@code now − refreshed ≤ expiry} by the caller's
 * clock. {@code register}, {@code takeOver}, {@code unregister} and {@code sweep} are each one Lua
 * script (read the holder, compare, then write); a store at a bound first forgets its expired names, as
 * {@link MemoryNameStore} does. {@link #size()} is the count the last call saw (it never blocks).
 */
public final class RedisNameStore implements NameStore {
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final String COMMON = """
            local P = ARGV[1]
            local NOW = tonumber(ARGV[2])
            local EXPIRY = tonumber(ARGV[3])
            local MAXKEY = tonumber(ARGV[4])
            local MAXTOTAL = tonumber(ARGV[5])
            local K_ALL = P .. ':names'
            local function nameKey(kh, folded) return P .. ':name:' .. kh .. ':' .. folded end
            local function keyNames(kh) return P .. ':names:' .. kh end
            -- the live holder of a name: peer hex, or nil
            local function holder(kh, folded)
              local v = redis.call('GET', nameKey(kh, folded))
              if not v then return nil end
              local peer, refreshed = string.match(v, '^([^|]*)|([^|]*)|')
              if NOW - tonumber(refreshed) > EXPIRY then return nil end
              return peer
            end
            local function sweep()
              local n = 0
              for _, m in ipairs(redis.call('ZRANGEBYSCORE', K_ALL, '-inf', '(' .. (NOW - EXPIRY))) do
                local kh, folded = string.match(m, '^([^:]*):(.*)$')
                redis.call('DEL', nameKey(kh, folded))
                redis.call('ZREM', K_ALL, m)
                redis.call('ZREM', keyNames(kh), folded)
                n = n + 1
              end
              return n
            end
            -- nil if one more name of kh fits, else why not (after a sweep, if needed)
            local function room(kh)
              if redis.call('ZCARD', K_ALL) >= MAXTOTAL or redis.call('ZCARD', keyNames(kh)) >= MAXKEY then
                sweep()
              end
              if redis.call('ZCARD', keyNames(kh)) >= MAXKEY then return 'KEY_FULL' end
              if redis.call('ZCARD', K_ALL) >= MAXTOTAL then return 'STORE_FULL' end
              return nil
            end
            local function put(kh, folded, peer, text)
              redis.call('SET', nameKey(kh, folded), peer .. '|' .. string.format('%d', NOW) .. '|' .. text,
                'PX', EXPIRY)
              redis.call('ZADD', keyNames(kh), NOW, folded)
              redis.call('ZADD', K_ALL, NOW, kh .. ':' .. folded)
              redis.call('PEXPIRE', keyNames(kh), EXPIRY)
              redis.call('PEXPIRE', K_ALL, EXPIRY)
            end
            local function forget(kh, folded)
              redis.call('DEL', nameKey(kh, folded))
              redis.call('ZREM', keyNames(kh), folded)
              redis.call('ZREM', K_ALL, kh .. ':' .. folded)
            end
            """;

    /** ARGV[6] key hash, [7] folded, [8] peer, [9] text. Answers {outcome, holder or '', size}. */
    private static final Script REGISTER = new Script(COMMON + """
            local kh, folded, peer = ARGV[6], ARGV[7], ARGV[8]
            local old = holder(kh, folded)
            if old and old ~= peer then return {'HELD', old, redis.call('ZCARD', K_ALL)} end
            if not old then
              local full = room(kh)
              if full then return {full, '', redis.call('ZCARD', K_ALL)} end
            end
            put(kh, folded, peer, ARGV[9])
            local outcome = 'REFRESHED'
            if not old then outcome = 'REGISTERED' end
            return {outcome, '', redis.call('ZCARD', K_ALL)}
            """);

    /** ARGV[6] key hash, [7] folded, [8] holder, [9] peer, [10] text. Answers {1 or 0, size}. */
    private static final Script TAKE_OVER = new Script(COMMON + """
            local kh, folded, seen, peer = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
            local old = holder(kh, folded)
            if old and old ~= seen and old ~= peer then return {0, redis.call('ZCARD', K_ALL)} end
            if not old and room(kh) then return {0, redis.call('ZCARD', K_ALL)} end
            put(kh, folded, peer, ARGV[10])
            return {1, redis.call('ZCARD', K_ALL)}
            """);

    /** ARGV[6] key hash, [7] folded, [8] holder. Answers {1 or 0, size}. */
    private static final Script UNREGISTER = new Script(COMMON + """
            local kh, folded, seen = ARGV[6], ARGV[7], ARGV[8]
            if holder(kh, folded) ~= seen then return {0, redis.call('ZCARD', K_ALL)} end
            forget(kh, folded)
            return {1, redis.call('ZCARD', K_ALL)}
            """);

    /** Answers {swept, size}. */
    private static final Script SWEEP = new Script(COMMON + """
            local n = sweep()
            return {n, redis.call('ZCARD', K_ALL)}
            """);

    private record Script(String text, String sha) {
        Script(String text) {
            this(text, digest("SHA-1", text));
        }
    }

    private final RedisClusterAsyncCommands<String, String> redis;
    private final String prefix;
    private final String[] routingKey;
    private final long expiryMillis;
    private final int maxPerKey;
    private final int maxTotal;
    private final AtomicInteger size = new AtomicInteger();

    /**
     * @param redis        the async commands (the cluster's {@code RedisConnection.commands()})
     * @param namespace    the key namespace, shared by the nodes of one cluster
     * @param expiryMillis a registration not refreshed for longer than this expires
     * @param maxPerKey    most names of one developer key
     * @param maxTotal     most names in all
     */
    public RedisNameStore(RedisClusterAsyncCommands<String, String> redis, String namespace, long expiryMillis,
            int maxPerKey, int maxTotal) {
        this.redis = Objects.requireNonNull(redis, "redis");
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace must be 1-64 of A-Z a-z 0-9 . _ -, got '" + namespace + "'");
        }
        if (expiryMillis < 1 || maxPerKey < 1 || maxTotal < 1) {
            throw new IllegalArgumentException("expiry and bounds must be positive");
        }
        this.prefix = "{" + namespace + "}";
        this.routingKey = new String[] {prefix + ":names"};
        this.expiryMillis = expiryMillis;
        this.maxPerKey = maxPerKey;
        this.maxTotal = maxTotal;
    }

    @Override
    public CompletionStage<Registration> register(String developerKey, UserName name, PeerId peer, long nowMillis) {
        return this.<List<Object>>run(REGISTER, nowMillis, keyHash(developerKey), name.folded(), peer.toHex(),
                name.text()).thenApply(r -> {
                    size.set(((Long) r.get(2)).intValue());
                    Outcome outcome = Outcome.valueOf((String) r.get(0));
                    return new Registration(outcome,
                            outcome == Outcome.HELD ? Optional.of(PeerId.fromHex((String) r.get(1))) : Optional.empty());
                });
    }

    @Override
    public CompletionStage<Boolean> takeOver(String developerKey, UserName name, PeerId holder, PeerId peer,
            long nowMillis) {
        return this.<List<Object>>run(TAKE_OVER, nowMillis, keyHash(developerKey), name.folded(), holder.toHex(),
                peer.toHex(), name.text()).thenApply(this::flag);
    }

    @Override
    public CompletionStage<Optional<Binding>> lookup(String developerKey, UserName name, long nowMillis) {
        return redis.get(prefix + ":name:" + keyHash(developerKey) + ":" + name.folded()).toCompletableFuture()
                .thenApply(v -> {
                    if (v == null) {
                        return Optional.empty();
                    }
                    int a = v.indexOf('|');
                    int b = v.indexOf('|', a + 1);
                    long refreshed = Long.parseLong(v.substring(a + 1, b));
                    if (nowMillis - refreshed > expiryMillis) {
                        return Optional.empty();
                    }
                    return Optional.of(new Binding(UserName.of(v.substring(b + 1)), PeerId.fromHex(v.substring(0, a)),
                            refreshed));
                });
    }

    @Override
    public CompletionStage<Boolean> unregister(String developerKey, UserName name, PeerId holder, long nowMillis) {
        return this.<List<Object>>run(UNREGISTER, nowMillis, keyHash(developerKey), name.folded(), holder.toHex())
                .thenApply(this::flag);
    }

    @Override
    public CompletionStage<Integer> sweep(long nowMillis) {
        return this.<List<Object>>run(SWEEP, nowMillis).thenApply(r -> {
            size.set(((Long) r.get(1)).intValue());
            return ((Long) r.get(0)).intValue();
        });
    }

    /** Registrations in all keys, live or not yet swept, as the last call to Redis saw them. */
    @Override
    public int size() {
        return size.get();
    }

    private boolean flag(List<Object> r) {
        size.set(((Long) r.get(1)).intValue());
        return ((Long) r.get(0)) == 1L;
    }

    private <T> CompletionStage<T> run(Script script, long now, String... args) {
        String[] argv = new String[5 + args.length];
        argv[0] = prefix;
        argv[1] = Long.toString(now);
        argv[2] = Long.toString(expiryMillis);
        argv[3] = Integer.toString(maxPerKey);
        argv[4] = Integer.toString(maxTotal);
        System.arraycopy(args, 0, argv, 5, args.length);
        Function<Void, CompletableFuture<T>> call = v -> {
            try {
                return redis.<T>evalsha(script.sha(), ScriptOutputType.MULTI, routingKey, argv).toCompletableFuture();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
        return call.apply(null).handle((v, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(v);
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RedisNoScriptException
                    || (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT"))) {
                return redis.scriptLoad(script.text()).toCompletableFuture().thenCompose(sha -> call.apply(null));
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(Function.identity());
    }

    /** The first 32 hex digits of the SHA-256 of {@code developerKey}: its name in Redis. */
    static String keyHash(String developerKey) {
        return digest("SHA-256", developerKey).substring(0, 32);
    }

    private static String digest(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }
}
