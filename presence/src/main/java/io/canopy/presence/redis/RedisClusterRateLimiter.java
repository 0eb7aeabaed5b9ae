package io.canopy.presence.redis;

import io.canopy.presence.ClusterRateLimiter;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link ClusterRateLimiter} on Redis: one {@code INCRBY} counter per namespace and window, expiring after two. */
public final class RedisClusterRateLimiter implements ClusterRateLimiter {
  private final RedisAsyncCommands<String, String> redis;

  RedisClusterRateLimiter(RedisAsyncCommands<String, String> redis) {
    this.redis = redis;
  }

  @Override
  public CompletableFuture<WindowCount> add(String namespace, long count, long windowMs) {
    if (windowMs < 1 || count < 0) {
      throw new IllegalArgumentException("presence: windowMs must be >= 1 and count >= 0");
    }
    return RedisClusterState.<List<Object>>eval(redis, Scripts.RATE, ScriptOutputType.MULTI, new String[0],
            RedisKeys.ratePrefix(namespace, windowMs), Long.toString(count), Long.toString(windowMs))
        .thenApply(r -> new WindowCount((Long) r.get(0), (Long) r.get(1)));
  }
}
