package io.canopy.presence.redis;

import io.canopy.core.path.Path;
import io.canopy.core.rules.Caller;
import io.canopy.presence.ConnectionRef;
import io.canopy.presence.FencedException;
import io.canopy.presence.OnDisconnectStore;
import io.canopy.presence.OrphanQueue;
import io.canopy.presence.QueuedWrite;
import io.canopy.presence.QueuedWrites;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * {@link OnDisconnectStore} on Redis: a list per connection, an index set per gateway. {@code add} is one
 * {@code RPUSH}; {@code cancel} and {@code setCaller} read the list and write it back whole (the owner issues one
 * connection's changes one at a time, so nobody else changes it in between; the write-back is refused once the
 * gateway is fenced); {@code drain} and {@code claimOrphans} are scripts that read and delete in one step.
 */
public final class RedisOnDisconnectStore implements OnDisconnectStore {
  private final RedisAsyncCommands<String, String> redis;

  RedisOnDisconnectStore(RedisAsyncCommands<String, String> redis) {
    this.redis = redis;
  }

  @Override
  public CompletableFuture<Void> add(ConnectionRef connection, QueuedWrite write) {
    String gw = connection.gatewayId();
    return RedisClusterState.<Long>eval(redis, Scripts.ADD, ScriptOutputType.INTEGER,
            new String[] {RedisKeys.fence(gw), RedisKeys.queues(gw), RedisKeys.queue(connection)},
            connection.connectionId(), QueuedWrites.encode(write))
        .thenApply(r -> fenceCheck(r, gw));
  }

  @Override
  public CompletableFuture<Void> cancel(ConnectionRef connection, Path at) {
    return rewrite(connection, writes -> QueuedWrites.cancelWrites(writes, at));
  }

  @Override
  public CompletableFuture<Void> setCaller(ConnectionRef connection, Caller caller) {
    return rewrite(connection, writes -> writes.stream().map(w -> w.withCaller(caller)).toList());
  }

  private CompletableFuture<Void> rewrite(ConnectionRef connection, UnaryOperator<List<QueuedWrite>> change) {
    String gw = connection.gatewayId();
    return redis.lrange(RedisKeys.queue(connection), 0, -1).toCompletableFuture().thenCompose(stored -> {
      if (stored.isEmpty()) {
        // nothing queued: still report a fence, as add would
        return redis.exists(RedisKeys.fence(gw)).toCompletableFuture().thenApply(n -> fenceCheck(n == 0 ? 1L : 0L,
            gw));
      }
      List<QueuedWrite> writes = change.apply(decode(stored));
      List<String> values = new ArrayList<>(writes.size() + 1);
      values.add(connection.connectionId());
      writes.forEach(w -> values.add(QueuedWrites.encode(w)));
      return RedisClusterState.<Long>eval(redis, Scripts.REPLACE, ScriptOutputType.INTEGER,
              new String[] {RedisKeys.fence(gw), RedisKeys.queues(gw), RedisKeys.queue(connection)},
              values.toArray(String[]::new))
          .thenApply(r -> fenceCheck(r, gw));
    });
  }

  @Override
  public CompletableFuture<List<QueuedWrite>> drain(ConnectionRef connection) {
    return RedisClusterState.<List<Object>>eval(redis, Scripts.DRAIN, ScriptOutputType.MULTI,
            new String[] {RedisKeys.queues(connection.gatewayId()), RedisKeys.queue(connection)},
            connection.connectionId())
        .thenApply(RedisOnDisconnectStore::decode);
  }

  @Override
  public CompletableFuture<List<OrphanQueue>> claimOrphans(String deadGatewayId, String claimant) {
    return RedisClusterState.<List<Object>>eval(redis, Scripts.CLAIM, ScriptOutputType.MULTI,
            new String[] {RedisKeys.lease(deadGatewayId), RedisKeys.fence(deadGatewayId),
                RedisKeys.queues(deadGatewayId), RedisKeys.GATEWAYS},
            deadGatewayId, claimant, Long.toString(RedisClusterState.FENCE_TTL_MS),
            RedisKeys.queuePrefix(deadGatewayId))
        .thenApply(out -> {
          List<OrphanQueue> queues = new ArrayList<>(out.size());
          for (Object o : out) {
            List<?> pair = (List<?>) o;
            queues.add(new OrphanQueue(new ConnectionRef(deadGatewayId, (String) pair.get(0)),
                decode((List<?>) pair.get(1))));
          }
          return queues;
        });
  }

  private static List<QueuedWrite> decode(List<?> stored) {
    List<QueuedWrite> writes = new ArrayList<>(stored.size());
    for (Object s : stored) {
      writes.add(QueuedWrites.decode((String) s));
    }
    return writes;
  }

  private static Void fenceCheck(Long result, String gatewayId) {
    if (result == null || result != 1L) {
      throw new FencedException(gatewayId);
    }
    return null;
  }
}
