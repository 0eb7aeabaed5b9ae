package io.canopy.gateway.limits;

/**
 * How much one gateway lets its clients do. Immutable; checked when built, with messages prefixed {@code limits: }.
 * The defaults are far above what the SDKs and the load tests send (thousands of writes per second), so only
 * runaway or hostile clients meet them; Firebase documents about 1,000 writes per second per database and
 * 200,000 simultaneous connections per database (spread over many servers).
 *
 * @param maxConnections open realtime connections ({@code /.ws} WebSockets plus REST event streams) this gateway
 *     accepts (default {@value #DEFAULT_MAX_CONNECTIONS}; 0 = no cap). Beyond it a WebSocket upgrade or a new
 *     event stream is answered 503 with a JSON error, before any work is done for it
 * @param wsMessages protocol messages one WebSocket connection may send (default 10,000/s with a burst of
 *     20,000). A request over the rate is answered on its {@code r} with {@code unavailable} and a "Too many
 *     requests" message, and is not acted on; the connection stays open
 * @param wsFloodFrames WebSocket frames (text or binary, pieces and keepalives included) one connection may send
 *     before it counts as a flood and is closed with code 1008 and a reason (default 50,000/s with a burst of
 *     100,000). Must not be below {@code wsMessages}: a client just over the message rate gets errors first
 * @param namespaceWrites writes ({@code p} and {@code m} over WebSocket; PUT, PATCH, POST and DELETE over REST)
 *     per namespace, shared by every connection and request on this gateway (default 50,000/s with a burst of
 *     100,000). Over it a WebSocket write is answered {@code unavailable}, a REST write 429
 * @param clusterNamespaceWrites writes per second per namespace across every gateway of the cluster, counted in
 *     one-second windows in the cluster state (Redis when configured; default 0 = no cluster-wide budget). Over
 *     it writes are refused like over {@code namespaceWrites}. Approximate: gateways learn the cluster's count
 *     every {@value ClusterWriteBudget#SYNC_INTERVAL_MS} ms, so a window may overshoot by what they admit in that
 *     time
 */
public record LimitsConfig(int maxConnections, Rate wsMessages, Rate wsFloodFrames, Rate namespaceWrites,
    long clusterNamespaceWrites) {

  public static final int DEFAULT_MAX_CONNECTIONS = 20_000;
  public static final Rate DEFAULT_WS_MESSAGES = new Rate(10_000, 20_000);
  public static final Rate DEFAULT_WS_FLOOD_FRAMES = new Rate(50_000, 100_000);
  public static final Rate DEFAULT_NAMESPACE_WRITES = new Rate(50_000, 100_000);

  private static final LimitsConfig DEFAULTS = new LimitsConfig(DEFAULT_MAX_CONNECTIONS, DEFAULT_WS_MESSAGES,
      DEFAULT_WS_FLOOD_FRAMES, DEFAULT_NAMESPACE_WRITES, 0);
  private static final LimitsConfig NONE = new LimitsConfig(0, Rate.UNLIMITED, Rate.UNLIMITED, Rate.UNLIMITED, 0);

  public LimitsConfig {
    wsMessages = wsMessages == null ? DEFAULT_WS_MESSAGES : wsMessages;
    wsFloodFrames = wsFloodFrames == null ? DEFAULT_WS_FLOOD_FRAMES : wsFloodFrames;
    namespaceWrites = namespaceWrites == null ? DEFAULT_NAMESPACE_WRITES : namespaceWrites;
    if (clusterNamespaceWrites < 0) {
      throw new IllegalArgumentException("limits: clusterNamespaceWrites must be >= 0 (0 = none): "
          + clusterNamespaceWrites);
    }
    if (maxConnections < 0) {
      throw new IllegalArgumentException("limits: maxConnections must be >= 0 (0 = no cap): " + maxConnections);
    }
    if (!wsMessages.unlimited() && !wsFloodFrames.unlimited()
        && (wsFloodFrames.perSecond() < wsMessages.perSecond() || wsFloodFrames.burst() < wsMessages.burst())) {
      throw new IllegalArgumentException("limits: wsFloodFrames (" + wsFloodFrames
          + ") must not be below wsMessages (" + wsMessages + ")");
    }
  }

  /** Limits without a cluster-wide namespace budget. */
  public LimitsConfig(int maxConnections, Rate wsMessages, Rate wsFloodFrames, Rate namespaceWrites) {
    this(maxConnections, wsMessages, wsFloodFrames, namespaceWrites, 0);
  }

  /** The defaults documented on the record. */
  public static LimitsConfig defaults() {
    return DEFAULTS;
  }

  /** No limit at all (benchmarks of the raw path). */
  public static LimitsConfig unlimited() {
    return NONE;
  }

  public LimitsConfig withMaxConnections(int max) {
    return new LimitsConfig(max, wsMessages, wsFloodFrames, namespaceWrites, clusterNamespaceWrites);
  }

  public LimitsConfig withWsMessages(Rate rate) {
    return new LimitsConfig(maxConnections, rate, wsFloodFrames, namespaceWrites, clusterNamespaceWrites);
  }

  public LimitsConfig withWsFloodFrames(Rate rate) {
    return new LimitsConfig(maxConnections, wsMessages, rate, namespaceWrites, clusterNamespaceWrites);
  }

  public LimitsConfig withNamespaceWrites(Rate rate) {
    return new LimitsConfig(maxConnections, wsMessages, wsFloodFrames, rate, clusterNamespaceWrites);
  }

  /** Writes per second per namespace across the cluster (0 = no cluster-wide budget). */
  public LimitsConfig withClusterNamespaceWrites(long perSecond) {
    return new LimitsConfig(maxConnections, wsMessages, wsFloodFrames, namespaceWrites, perSecond);
  }
}
