package io.canopy.presence.redis;

import io.canopy.presence.NodeLiveness;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** {@link NodeLiveness} on Redis: a lease is a key with a {@code PX} TTL; expiry is Redis's. */
public final class RedisNodeLiveness implements NodeLiveness {
  private final RedisAsyncCommands<String, String> redis;

  RedisNodeLiveness(RedisAsyncCommands<String, String> redis) {
    this.redis = redis;
  }

  @Override
  public CompletableFuture<Boolean> renew(String gatewayId, Duration ttl) {
    return RedisClusterState.<Long>eval(redis, Scripts.RENEW, ScriptOutputType.INTEGER,
            new String[] {RedisKeys.lease(gatewayId), RedisKeys.fence(gatewayId), RedisKeys.GATEWAYS},
            gatewayId, Long.toString(Math.max(1, ttl.toMillis())))
        .thenApply(r -> r == 1L);
  }

  @Override
  public CompletableFuture<Boolean> rejoin(String gatewayId, Duration ttl) {
    return redis.del(RedisKeys.fence(gatewayId)).toCompletableFuture().thenCompose(n -> renew(gatewayId, ttl));
  }

  @Override
  public CompletableFuture<Void> release(String gatewayId) {
    return redis.del(RedisKeys.lease(gatewayId)).toCompletableFuture().thenApply(n -> null);
  }

  @Override
  public CompletableFuture<Set<String>> deadGateways() {
    return gateways(Scripts.DEAD);
  }

  @Override
  public CompletableFuture<Set<String>> liveGateways() {
    return gateways(Scripts.LIVE);
  }

  private CompletableFuture<Set<String>> gateways(String script) {
    return RedisClusterState.<List<Object>>eval(redis, script, ScriptOutputType.MULTI,
            new String[] {RedisKeys.GATEWAYS}, RedisKeys.PREFIX)
        .thenApply(list -> {
          Set<String> ids = new TreeSet<>();
          list.forEach(o -> ids.add((String) o));
          return ids;
        });
  }
}
