package io.canopy.gateway.limits;

import io.canopy.gateway.ns.NamespaceResolver;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The limits state of one gateway: its connection cap and per-namespace write budgets (shared by the WebSocket
 * endpoint and the REST API), a fresh pair of per-connection buckets for each WebSocket, and counters of what was
 * refused. Build one per gateway and hand it to both transports. Thread-safe.
 */
public final class GatewayLimits {
  private final LimitsConfig config;
  private final ConnectionCap connections;
  private final NamespaceRateLimiter namespaceWrites;
  private final ClusterWriteBudget clusterWrites;
  private final LongAdder refusedConnections = new LongAdder();
  private final LongAdder throttledMessages = new LongAdder();
  private final LongAdder throttledWrites = new LongAdder();
  private final LongAdder clusterThrottledWrites = new LongAdder();
  private final LongAdder floodCloses = new LongAdder();

  /** Limits of this gateway alone (a cluster-wide budget, if configured, is counted in this process only). */
  public GatewayLimits(LimitsConfig config) {
    this(config, null);
  }

  /**
   * @param clusterWrites the namespaces' cluster-wide budget ({@link LimitsConfig#clusterNamespaceWrites}), whose
   *     {@link ClusterWriteBudget#sync} the caller runs periodically; null = none
   */
  public GatewayLimits(LimitsConfig config, ClusterWriteBudget clusterWrites) {
    this.config = Objects.requireNonNull(config, "config");
    this.connections = new ConnectionCap(config.maxConnections());
    this.namespaceWrites = new NamespaceRateLimiter(config.namespaceWrites());
    this.clusterWrites = clusterWrites == null || clusterWrites.unlimited() ? null : clusterWrites;
  }

  public LimitsConfig config() {
    return config;
  }

  public ConnectionCap connections() {
    return connections;
  }

  /** Counts the REST event streams (e.g. {@code restHandler.streams()::size}) against the connection cap. */
  public GatewayLimits countStreams(IntSupplier openStreams) {
    connections.countStreams(openStreams);
    return this;
  }

  /**
   * Takes one write of {@code namespace}'s budget on this gateway, then of its cluster-wide budget if there is
   * one; false (and counted) when either is spent.
   */
  public boolean admitWrite(String namespace) {
    if (!namespaceWrites.tryAcquire(namespace)) {
      throttledWrites.increment();
      return false;
    }
    if (clusterWrites != null && !clusterWrites.tryAcquire(namespace)) {
      throttledWrites.increment();
      clusterThrottledWrites.increment();
      return false;
    }
    return true;
  }

  /** The error text of a write refused by {@link #admitWrite}. */
  public String writeRefusal(String namespace) {
    return clusterWrites != null && clusterWrites.exhausted(namespace)
        ? clusterWrites.refusal(namespace)
        : namespaceWrites.refusal(namespace);
  }

  /** A new connection's message bucket ({@link LimitsConfig#wsMessages}). */
  public TokenBucket newMessageBucket() {
    return config.wsMessages().newBucket();
  }

  /** A new connection's flood bucket ({@link LimitsConfig#wsFloodFrames}). */
  public TokenBucket newFloodBucket() {
    return config.wsFloodFrames().newBucket();
  }

  /** The error text of a WebSocket message refused by its connection's message bucket. */
  public String messageRefusal() {
    return "Too many requests: a connection may send " + Rate.fmt(config.wsMessages().perSecond())
        + " messages per second; this one was not acted on";
  }

  /** The close reason of a connection that flooded (at most 123 bytes, a WebSocket close reason's limit). */
  public String floodCloseReason() {
    return "too many messages: over " + Rate.fmt(config.wsFloodFrames().perSecond()) + " frames per second";
  }

  public void connectionRefused() {
    refusedConnections.increment();
  }

  public void messageThrottled() {
    throttledMessages.increment();
  }

  public void floodClosed() {
    floodCloses.increment();
  }

  /**
   * The REST half: a handler to mount before the REST API that answers 429 to writes over their namespace's
   * budget and 503 to event streams over the connection cap, and passes everything else on.
   */
  public Handler<RoutingContext> restAdmission(NamespaceResolver namespaces) {
    return new RestAdmission(this, namespaces);
  }

  /** Counters for {@code /.metrics.json}. */
  public Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("openConnections", connections.open());
    m.put("maxConnections", config.maxConnections());
    m.put("refusedConnections", refusedConnections.sum());
    m.put("throttledMessages", throttledMessages.sum());
    m.put("throttledWrites", throttledWrites.sum());
    m.put("clusterThrottledWrites", clusterThrottledWrites.sum());
    m.put("floodCloses", floodCloses.sum());
    return m;
  }
}
