package io.canopy.gateway;

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
 */
public record GatewayConfig(
    String host,
    int port,
    String bootstrapServers,
    String writesTopic,
    int partitions,
    String defaultNamespace,
    long writeTimeoutMs,
    long maxRestBodyBytes) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 9000;
  public static final String DEFAULT_WRITES_TOPIC = "canopy.writes";
  public static final String DEFAULT_NAMESPACE = "default";
  public static final long DEFAULT_WRITE_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_MAX_REST_BODY_BYTES = 256L * 1024 * 1024;
  /** Vert.x buffers a body in one byte array. */
  public static final long MAX_REST_BODY_BYTES_LIMIT = Integer.MAX_VALUE - 8;

  public GatewayConfig {
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
  }

  /** Defaults for everything but the Kafka address and the partition count. */
  public static GatewayConfig defaults(String bootstrapServers, int partitions) {
    return new GatewayConfig(DEFAULT_HOST, DEFAULT_PORT, bootstrapServers, DEFAULT_WRITES_TOPIC, partitions,
        DEFAULT_NAMESPACE, DEFAULT_WRITE_TIMEOUT_MS, DEFAULT_MAX_REST_BODY_BYTES);
  }

  public GatewayConfig withListen(String newHost, int newPort) {
    return new GatewayConfig(newHost, newPort, bootstrapServers, writesTopic, partitions, defaultNamespace,
        writeTimeoutMs, maxRestBodyBytes);
  }

  public GatewayConfig withDefaultNamespace(String namespace) {
    return new GatewayConfig(host, port, bootstrapServers, writesTopic, partitions, namespace, writeTimeoutMs,
        maxRestBodyBytes);
  }

  public GatewayConfig withWriteTimeoutMs(long timeoutMs) {
    return new GatewayConfig(host, port, bootstrapServers, writesTopic, partitions, defaultNamespace, timeoutMs,
        maxRestBodyBytes);
  }

  public GatewayConfig withMaxRestBodyBytes(long maxBytes) {
    return new GatewayConfig(host, port, bootstrapServers, writesTopic, partitions, defaultNamespace,
        writeTimeoutMs, maxBytes);
  }
}
