package io.canopy.gateway;

import io.canopy.gateway.auth.AuthConfig;
import io.canopy.gateway.limits.LimitsConfig;
import io.canopy.gateway.ns.NamespaceResolver;

/**
 * Settings of one gateway process. Immutable; every combination is checked when the record is built, with
 * messages prefixed {@code gateway: }.
 *
 * @param host the interface to listen on (default {@value #DEFAULT_HOST})
 * @param port the HTTP port (default {@value #DEFAULT_PORT}); 0 picks a free one, see {@link GatewayServer#port()}
 * @param bootstrapServers Kafka bootstrap servers
 * @param writesTopic the write log (default {@value #DEFAULT_WRITES_TOPIC})
 * @param partitions partition count of the write log; must match the topic and the processor's
 * @param defaultNamespace the namespace of requests naming none (default {@value #DEFAULT_NAMESPACE})
 * @param writeTimeoutMs how long a write waits for its verdict before answering 503 (default
 *     {@value #DEFAULT_WRITE_TIMEOUT_MS})
 * @param maxRestBodyBytes the largest REST request body (default 256 MiB, Firebase's REST limit)
 * @param wsMaxFrameBytes the largest WebSocket frame a client may send on {@code /.ws} (default
 *     {@value #DEFAULT_WS_MAX_FRAME_BYTES}, the Java SDK's own limit; the SDKs send pieces of at most 16,384
 *     characters). Also the size above which the server would fragment an outgoing frame, so it must hold our
 *     largest piece: at least {@value #MIN_WS_MAX_FRAME_BYTES} (16,384 characters of 3 UTF-8 bytes)
 * @param wsMaxMessageChars the longest protocol message a client may send on {@code /.ws}, re-assembled from its
 *     pieces (default {@value #DEFAULT_WS_MAX_MESSAGE_CHARS}: Firebase's 16 MB write limit plus the envelope);
 *     a longer one is answered {@code too_big}
 * @param wsIdleTimeoutMs a {@code /.ws} connection with no frame in either direction for this long is closed
 *     (default {@value #DEFAULT_WS_IDLE_TIMEOUT_MS}; both SDKs send a keepalive after 45 s of silence); 0 = never
 * @param sseKeepAliveMs how often a REST event stream ({@code Accept: text/event-stream}) gets a {@code keep-alive}
 *     event (default {@value #DEFAULT_SSE_KEEP_ALIVE_MS}, Firebase's 30 s)
 * @param auth how credentials are verified (default {@link AuthConfig#defaults()}; null means the default)
 * @param limits rate limits and the connection cap (default {@link LimitsConfig#defaults()}; null means the default)
 */
public record GatewayConfig(
    String host,
    int port,
    String bootstrapServers,
    String writesTopic,
    int partitions,
    String defaultNamespace,
    long writeTimeoutMs,
    long maxRestBodyBytes,
    int wsMaxFrameBytes,
    int wsMaxMessageChars,
    long wsIdleTimeoutMs,
    long sseKeepAliveMs,
    AuthConfig auth,
    LimitsConfig limits) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 9000;
  public static final String DEFAULT_WRITES_TOPIC = "canopy.writes";
  public static final String DEFAULT_NAMESPACE = "default";
  public static final long DEFAULT_WRITE_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_MAX_REST_BODY_BYTES = 256L * 1024 * 1024;
  public static final int DEFAULT_WS_MAX_FRAME_BYTES = 64 * 1024;
  public static final int MIN_WS_MAX_FRAME_BYTES = 3 * 16_384;
  public static final int DEFAULT_WS_MAX_MESSAGE_CHARS = 16 * 1024 * 1024 + 64 * 1024;
  public static final long DEFAULT_WS_IDLE_TIMEOUT_MS = 120_000;
  public static final long DEFAULT_SSE_KEEP_ALIVE_MS = 30_000;
  /** Vert.x buffers a body in one byte array. */
  public static final long MAX_REST_BODY_BYTES_LIMIT = Integer.MAX_VALUE - 8;

  public GatewayConfig {
    auth = auth == null ? AuthConfig.defaults() : auth;
    limits = limits == null ? LimitsConfig.defaults() : limits;
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("gateway: host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("gateway: port must be 0..65535: " + port);
    }
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("gateway: bootstrapServers must not be blank");
    }
    if (writesTopic == null || writesTopic.isBlank()) {
      throw new IllegalArgumentException("gateway: writesTopic must not be blank");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("gateway: partitions must be >= 1: " + partitions);
    }
    if (!NamespaceResolver.isValid(defaultNamespace)) {
      throw new IllegalArgumentException("gateway: defaultNamespace must match " + NamespaceResolver.PATTERN
          + ": " + defaultNamespace);
    }
    if (writeTimeoutMs < 1) {
      throw new IllegalArgumentException("gateway: writeTimeoutMs must be >= 1: " + writeTimeoutMs);
    }
    if (maxRestBodyBytes < 1 || maxRestBodyBytes > MAX_REST_BODY_BYTES_LIMIT) {
      throw new IllegalArgumentException("gateway: maxRestBodyBytes must be 1.." + MAX_REST_BODY_BYTES_LIMIT + ": "
          + maxRestBodyBytes);
    }
    if (wsMaxFrameBytes < MIN_WS_MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("gateway: wsMaxFrameBytes must be >= " + MIN_WS_MAX_FRAME_BYTES
          + " (outgoing pieces must never be fragmented): " + wsMaxFrameBytes);
    }
    if (wsMaxMessageChars < 1) {
      throw new IllegalArgumentException("gateway: wsMaxMessageChars must be >= 1: " + wsMaxMessageChars);
    }
    if (wsIdleTimeoutMs != 0 && wsIdleTimeoutMs < 1000) {
      throw new IllegalArgumentException("gateway: wsIdleTimeoutMs must be 0 (never) or >= 1000: "
          + wsIdleTimeoutMs);
    }
    if (sseKeepAliveMs < 1) {
      throw new IllegalArgumentException("gateway: sseKeepAliveMs must be >= 1: " + sseKeepAliveMs);
    }
  }

  /** Defaults for everything but the Kafka address and the partition count. */
  public static GatewayConfig defaults(String bootstrapServers, int partitions) {
    return new GatewayConfig(DEFAULT_HOST, DEFAULT_PORT, bootstrapServers, DEFAULT_WRITES_TOPIC, partitions,
        DEFAULT_NAMESPACE, DEFAULT_WRITE_TIMEOUT_MS, DEFAULT_MAX_REST_BODY_BYTES, DEFAULT_WS_MAX_FRAME_BYTES,
        DEFAULT_WS_MAX_MESSAGE_CHARS, DEFAULT_WS_IDLE_TIMEOUT_MS, DEFAULT_SSE_KEEP_ALIVE_MS,
        AuthConfig.defaults(), LimitsConfig.defaults());
  }

  public GatewayConfig withListen(String newHost, int newPort) {
    return new GatewayConfig(newHost, newPort, bootstrapServers, writesTopic, partitions, defaultNamespace,
        writeTimeoutMs, maxRestBodyBytes, wsMaxFrameBytes, wsMaxMessageChars, wsIdleTimeoutMs, sseKeepAliveMs,
        auth, limits);
  }

  public GatewayConfig withDefaultNamespace(String namespace) {
    return new GatewayConfig(host, port, bootstrapServers, writesTopic, partitions, namespace, writeTimeoutMs,
        maxRestBodyBytes, wsMaxFrameBytes, wsMaxMessageChars, wsIdleTimeoutMs, sseKeepAliveMs, auth, limits);
  }

  public GatewayConfig withWriteTimeoutMs(long timeoutMs) {
    return new GatewayConfig(host, port, bootstrapServers, writesTopic, partitions, defaultNamespace, timeoutMs,
        maxRestBodyBytes, wsMaxFrameBytes, wsMaxMessageChars, wsIdleTimeoutMs, sseKeepAliveMs, auth, limits);
  }

  public GatewayConfig withMaxRestBodyBytes(long maxBytes) {
    return new GatewayConfig(host, port, bootstrapServers, writesTopic, partitions, defaultNamespace,
        writeTimeoutMs, maxBytes, wsMaxFrameBytes, wsMaxMessageChars, wsIdleTimeoutMs, sseKeepAliveMs, auth, limits);
  }

  /** The {@code /.ws} limits: client frame size, re-assembled message length, idle timeout (0 = never). */
  public GatewayConfig withWebSocketLimits(int maxFrameBytes, int maxMessageChars, long idleTimeoutMs) {
    return new GatewayConfig(host, port, bootstrapServers, writesTopic, partitions, defaultNamespace,
        writeTimeoutMs, maxRestBodyBytes, maxFrameBytes, maxMessageChars, idleTimeoutMs, sseKeepAliveMs, auth, limits);
  }

  /** How often REST event streams get a {@code keep-alive} event. */
  public GatewayConfig withSseKeepAliveMs(long keepAliveMs) {
    return new GatewayConfig(host, port, bootstrapServers, writesTopic, partitions, defaultNamespace,
        writeTimeoutMs, maxRestBodyBytes, wsMaxFrameBytes, wsMaxMessageChars, wsIdleTimeoutMs, keepAliveMs, auth,
        limits);
  }

  /** How credentials are verified. */
  public GatewayConfig withAuth(AuthConfig newAuth) {
    return new GatewayConfig(host, port, bootstrapServers, writesTopic, partitions, defaultNamespace,
        writeTimeoutMs, maxRestBodyBytes, wsMaxFrameBytes, wsMaxMessageChars, wsIdleTimeoutMs, sseKeepAliveMs,
        newAuth, limits);
  }

  /** Rate limits and the connection cap. */
  public GatewayConfig withLimits(LimitsConfig newLimits) {
    return new GatewayConfig(host, port, bootstrapServers, writesTopic, partitions, defaultNamespace,
        writeTimeoutMs, maxRestBodyBytes, wsMaxFrameBytes, wsMaxMessageChars, wsIdleTimeoutMs, sseKeepAliveMs, auth,
        newLimits);
  }
}
