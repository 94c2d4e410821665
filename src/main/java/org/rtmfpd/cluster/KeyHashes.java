package org.rtmfpd.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.rtmfpd.rendezvous.DeveloperKey;
import org.rtmfpd.rendezvous.DeveloperKeys;

/**
 * The developer key behind a hash that the cluster store keeps instead of the key: looked up in this
 * node's current keys, the table remade when the keys are reloaded.
 */
public final class KeyHashes implements Function<String, Optional<String>> {
    private final Supplier<DeveloperKeys> keys;
    private DeveloperKeys seen;
    private Map<String, String> byHash = Map.of();

    public KeyHashes(Supplier<DeveloperKeys> keys) {
        this.keys = keys;
    }

    @Override
    public synchronized Optional<String> apply(String hash) {
        DeveloperKeys now = keys.get();
        if (now != seen) {
            Map<String, String> table = new HashMap<>();
            for (DeveloperKey k : now.keys()) {
                table.put(RedisClusterStore.keyHash(k.key()), k.key());
            }
            byHash = table;
            seen = now;
        }
        return Optional.ofNullable(byHash.get(hash));
    }
}
