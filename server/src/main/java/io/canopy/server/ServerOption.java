package io.canopy.server;

import io.canopy.gateway.GatewayConfig;
import io.canopy.processor.ProcessorConfig;

/**
 * Every setting of the launcher: its flag, its environment variable and its default, stated once. A flag wins
 * over its environment variable, which wins over the default.
 */
public enum ServerOption {
  ROLE("--role", "CANOPY_ROLE", "all",
      "what this process runs: all | gateway | processor (also accepted as the first argument)"),
  HOST("--host", "CANOPY_HOST", GatewayConfig.DEFAULT_HOST, "interface the HTTP server listens on"),
  PORT("--port", "CANOPY_PORT", String.valueOf(GatewayConfig.DEFAULT_PORT), "HTTP port (0 picks a free one)"),
  DATA_DIR("--data-dir", "CANOPY_DATA_DIR", "./data",
      "directory of the embedded Kafka (<dir>/kafka) and RocksDB store (<dir>/store)"),
  KAFKA("--kafka", "CANOPY_KAFKA", null,
      "external Kafka bootstrap servers, host:port[,host:port]; absent = embedded Kafka"),
  MONGO("--mongo", "CANOPY_MONGO", null, "MongoDB connection string, mongodb://...; absent = embedded RocksDB"),
  PARTITIONS("--partitions", "CANOPY_PARTITIONS", "4",
      "partitions of canopy.writes and canopy.changes (fixed once the topics exist)"),
  BATCH_OPS("--batch-ops", "CANOPY_BATCH_OPS", String.valueOf(ProcessorConfig.DEFAULT_MAX_BATCH_OPS),
      "processor flushes when a partition buffers this many writes (1 = no batching)"),
  BATCH_DELAY_MS("--batch-delay-ms", "CANOPY_BATCH_DELAY_MS", String.valueOf(ProcessorConfig.DEFAULT_MAX_BATCH_DELAY_MS),
      "processor flushes when the oldest buffered write is this old (0 = no batching)"),
  DEFAULT_NS("--default-ns", "CANOPY_DEFAULT_NS", GatewayConfig.DEFAULT_NAMESPACE,
      "namespace of requests that name none (no ?ns= and no database host name)"),
  WRITE_TIMEOUT_MS("--write-timeout-ms", "CANOPY_WRITE_TIMEOUT_MS", String.valueOf(GatewayConfig.DEFAULT_WRITE_TIMEOUT_MS),
      "a write with no verdict after this long is answered 503 (it may still be applied)"),
  MAX_BODY_BYTES("--max-body-bytes", "CANOPY_MAX_BODY_BYTES", String.valueOf(GatewayConfig.DEFAULT_MAX_REST_BODY_BYTES),
      "largest REST request body, at most 256 MiB; larger bodies are answered 413"),
  SSE_KEEP_ALIVE_MS("--sse-keepalive-ms", "CANOPY_SSE_KEEPALIVE_MS",
      String.valueOf(GatewayConfig.DEFAULT_SSE_KEEP_ALIVE_MS),
      "interval of keep-alive events on REST event streams (Accept: text/event-stream)");

  private final String flag;
  private final String env;
  private final String defaultValue;
  private final String doc;

  ServerOption(String flag, String env, String defaultValue, String doc) {
    this.flag = flag;
    this.env = env;
    this.defaultValue = defaultValue;
    this.doc = doc;
  }

  public String flag() {
    return flag;
  }

  public String env() {
    return env;
  }

  /** The default as text; null when absence means something (embedded Kafka, RocksDB). */
  public String defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /** The option with this flag, or null. */
  public static ServerOption byFlag(String flag) {
    for (ServerOption o : values()) {
      if (o.flag.equals(flag)) {
        return o;
      }
    }
    return null;
  }
}
