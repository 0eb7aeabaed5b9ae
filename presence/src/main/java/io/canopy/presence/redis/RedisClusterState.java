package io.canopy.presence.redis;

import io.canopy.presence.ClusterRateLimiter;
import io.canopy.presence.ClusterState;
import io.canopy.presence.NodeLiveness;
import io.canopy.presence.OnDisconnectStore;
import io.canopy.presence.Presence;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All four SPIs on one Redis (standalone, or a primary behind Sentinel), over one lettuce connection: lettuce
 * pipelines the commands of all callers on it, in the order they are issued. Commands time out after
 * {@value #COMMAND_TIMEOUT_MS} ms; while Redis is unreachable lettuce reconnects in the background and commands
 * fail with that timeout.
 */
public final class RedisClusterState implements ClusterState {
  private static final Logger LOG = LoggerFactory.getLogger(RedisClusterState.class);
  static final long COMMAND_TIMEOUT_MS = 5_000;
  /** How long a claimed gateway stays fenced (a zombie slower than this could queue under its old id again). */
  static final long FENCE_TTL_MS = TimeUnit.HOURS.toMillis(24);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final String description;
  private final RedisOnDisconnectStore onDisconnect;
  private final RedisNodeLiveness liveness;
  private final RedisPresence presence;
  private final RedisClusterRateLimiter rateLimiter;

  private RedisClusterState(RedisClient client, StatefulRedisConnection<String, String> connection,
      String description) {
    this.client = client;
    this.connection = connection;
    this.description = description;
    RedisAsyncCommands<String, String> redis = connection.async();
    this.onDisconnect = new RedisOnDisconnectStore(redis);
    this.liveness = new RedisNodeLiveness(redis);
    this.presence = new RedisPresence(redis);
    this.rateLimiter = new RedisClusterRateLimiter(redis);
  }

  /**
   * Connects to {@code uri} ({@code redis://[:password@]host:port[/db]}, or {@code rediss://} for TLS).
   *
   * @throws IllegalArgumentException if the URI is malformed
   * @throws IllegalStateException if Redis is unreachable
   */
  public static RedisClusterState connect(String uri) {
    RedisURI redisUri;
    try {
      redisUri = RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("presence: not a Redis URI (redis://host:port): " + uri, e);
    }
    redisUri.setTimeout(Duration.ofMillis(COMMAND_TIMEOUT_MS));
    String description = (redisUri.isSsl() ? "rediss://" : "redis://") + redisUri.getHost() + ":"
        + redisUri.getPort();
    RedisClient client = RedisClient.create(redisUri);
    client.setOptions(ClientOptions.builder()
        .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(COMMAND_TIMEOUT_MS)))
        .autoReconnect(true)
        .build());
    try {
      StatefulRedisConnection<String, String> connection = client.connect();
      connection.sync().ping();
      LOG.info("Cluster state in Redis at {}", description);
      return new RedisClusterState(client, connection, description);
    } catch (RuntimeException e) {
      client.shutdown(0, 2, TimeUnit.SECONDS);
      throw new IllegalStateException("presence: cannot reach Redis at " + description + ": " + e.getMessage(), e);
    }
  }

  /** {@code redis://:secret@host:6379} → {@code redis://***@host:6379}: URIs go to logs. */
  public static String redact(String uri) {
    return uri.replaceFirst("^(rediss?://)[^@/]*@", "$1***@");
  }

  @Override
  public OnDisconnectStore onDisconnect() {
    return onDisconnect;
  }

  @Override
  public NodeLiveness liveness() {
    return liveness;
  }

  @Override
  public Presence presence() {
    return presence;
  }

  @Override
  public ClusterRateLimiter rateLimiter() {
    return rateLimiter;
  }

  @Override
  public CompletableFuture<Void> ping() {
    return connection.async().ping().toCompletableFuture().thenApply(pong -> null);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } finally {
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  /** Runs a script; the keys and values are strings. */
  static <T> CompletableFuture<T> eval(RedisAsyncCommands<String, String> redis, String script,
      ScriptOutputType type, String[] keys, String... values) {
    return redis.<T>eval(script, type, keys, values).toCompletableFuture();
  }
}
