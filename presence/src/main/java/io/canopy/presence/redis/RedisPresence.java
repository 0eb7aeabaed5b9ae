package io.canopy.presence.redis;

import io.canopy.presence.Presence;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** {@link Presence} on Redis: a hash of counts per gateway, summed by a script over the gateways with a lease. */
public final class RedisPresence implements Presence {
  private final RedisAsyncCommands<String, String> redis;

  RedisPresence(RedisAsyncCommands<String, String> redis) {
    this.redis = redis;
  }

  @Override
  public CompletableFuture<Void> opened(String gatewayId, String namespace) {
    return count(gatewayId, namespace, "1");
  }

  @Override
  public CompletableFuture<Void> closed(String gatewayId, String namespace) {
    return count(gatewayId, namespace, "-1");
  }

  private CompletableFuture<Void> count(String gatewayId, String namespace, String by) {
    return RedisClusterState.<Long>eval(redis, Scripts.COUNT, ScriptOutputType.INTEGER,
        new String[] {RedisKeys.connections(gatewayId)}, namespace, by).thenApply(n -> null);
  }

  @Override
  public CompletableFuture<Map<String, Long>> connections() {
    return RedisClusterState.<List<Object>>eval(redis, Scripts.CONNECTIONS, ScriptOutputType.MULTI,
            new String[] {RedisKeys.GATEWAYS}, RedisKeys.PREFIX)
        .thenApply(flat -> {
          Map<String, Long> counts = new TreeMap<>();
          for (int i = 0; i + 1 < flat.size(); i += 2) {
            counts.put((String) flat.get(i), (Long) flat.get(i + 1));
          }
          return counts;
        });
  }

  @Override
  public CompletableFuture<Void> forget(String gatewayId) {
    return redis.del(RedisKeys.connections(gatewayId)).toCompletableFuture().thenApply(n -> null);
  }
}
