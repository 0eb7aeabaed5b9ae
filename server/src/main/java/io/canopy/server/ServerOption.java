package io.canopy.server;

import io.canopy.gateway.GatewayConfig;
import io.canopy.gateway.auth.AuthConfig;
import io.canopy.gateway.limits.LimitsConfig;
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
  REDIS("--redis", "CANOPY_REDIS", null,
      "Redis for cluster-wide state (onDisconnect queues that survive a gateway crash, presence, leases, cluster"
          + " rate limits), redis://[:password@]host:port[/db]; absent = in memory (one gateway)"),
  LEASE_TTL_MS("--lease-ttl-ms", "CANOPY_LEASE_TTL_MS", String.valueOf(ServerConfig.DEFAULT_LEASE_TTL_MS),
      "a gateway silent for this long counts as dead and a survivor runs its clients' onDisconnect writes"
          + " (renewed every third of it)"),
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
      "interval of keep-alive events on REST event streams (Accept: text/event-stream)"),
  MAX_CONNECTIONS("--max-connections", "CANOPY_MAX_CONNECTIONS",
      String.valueOf(LimitsConfig.DEFAULT_MAX_CONNECTIONS),
      "WebSocket connections plus event streams one gateway holds; more are refused with 503 (0 = no cap)"),
  WS_MESSAGES_PER_SECOND("--ws-messages-per-second", "CANOPY_WS_MESSAGES_PER_SECOND",
      String.valueOf((long) LimitsConfig.DEFAULT_WS_MESSAGES.perSecond()),
      "requests per second one WebSocket may send (bursts of 2 s); more are refused (0 = unlimited)"),
  WS_FLOOD_FRAMES_PER_SECOND("--ws-flood-frames-per-second", "CANOPY_WS_FLOOD_FRAMES_PER_SECOND",
      String.valueOf((long) LimitsConfig.DEFAULT_WS_FLOOD_FRAMES.perSecond()),
      "frames per second beyond which a WebSocket is closed as a flood (bursts of 2 s; 0 = never)"),
  NAMESPACE_WRITES_PER_SECOND("--namespace-writes-per-second", "CANOPY_NAMESPACE_WRITES_PER_SECOND",
      String.valueOf((long) LimitsConfig.DEFAULT_NAMESPACE_WRITES.perSecond()),
      "writes per second to one namespace through one gateway (bursts of 2 s); more get 429 / unavailable"
          + " (0 = unlimited)"),
  CLUSTER_NAMESPACE_WRITES_PER_SECOND("--cluster-namespace-writes-per-second",
      "CANOPY_CLUSTER_NAMESPACE_WRITES_PER_SECOND", "0",
      "writes per second to one namespace across all gateways (counted in --redis; approximate); more get 429 /"
          + " unavailable (0 = no cluster-wide limit)"),
  RULES("--rules", "CANOPY_RULES", null,
      "security rules file (Firebase's rules JSON) for namespaces without rules of their own; absent = everything"
          + " allowed (dev mode only); PUT /.settings/rules.json sets a namespace's own"),
  PROD("--prod", "CANOPY_PROD", "false",
      "true | false (a bare --prod means true): production mode: dev mode off, and --rules plus a verification key"
          + " (--jwt-secret, --jwt-public-key-file or --jwks-file) required"),
  DEV_MODE("--dev-mode", "CANOPY_DEV_MODE", String.valueOf(AuthConfig.DEFAULT_DEV_MODE),
      "true | false: accept the emulator's owner credential and unsigned tokens, and (with no key configured)"
          + " tokens without checking their signature; set false in production"),
  JWT_SECRET("--jwt-secret", "CANOPY_JWT_SECRET", null,
      "HS256 secret that signs ID tokens (also accepted raw as an admin database secret)"),
  JWT_PUBLIC_KEY_FILE("--jwt-public-key-file", "CANOPY_JWT_PUBLIC_KEY_FILE", null,
      "PEM file of RS256/ES256 verification keys (PUBLIC KEY or CERTIFICATE blocks)"),
  JWKS_FILE("--jwks-file", "CANOPY_JWKS_FILE", null, "JSON Web Key Set file of RS256/ES256 verification keys"),
  JWT_AUDIENCE("--jwt-audience", "CANOPY_JWT_AUDIENCE", null,
      "required aud claim of signed tokens (e.g. the Firebase project id); absent = any"),
  JWT_ISSUER("--jwt-issuer", "CANOPY_JWT_ISSUER", null,
      "required iss claim of signed tokens (e.g. https://securetoken.google.com/<project>); absent = any");

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
