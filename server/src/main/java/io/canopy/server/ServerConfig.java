package io.canopy.server;

import io.canopy.core.rules.RulesDocument;
import io.canopy.core.rules.RulesParseException;
import io.canopy.gateway.GatewayConfig;
import io.canopy.gateway.auth.AuthConfig;
import io.canopy.gateway.limits.LimitsConfig;
import io.canopy.gateway.limits.Rate;
import io.canopy.gateway.ns.NamespaceResolver;
import io.canopy.presence.ClusterState;
import io.canopy.processor.ProcessorConfig;
import io.canopy.pusher.PusherConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The launcher's settings, and the one place that maps flags and environment variables (see {@link ServerOption})
 * onto the components' config records. Immutable; combinations are checked when built (messages prefixed
 * {@code server: }).
 *
 * @param kafka external Kafka bootstrap servers, or null for an embedded broker under {@code <dataDir>/kafka}
 * @param mongo a MongoDB connection string, or null for RocksDB under {@code <dataDir>/store}
 * @param auth how the gateway verifies credentials (dev mode, keys, issuer, audience); null for the defaults
 * @param defaultRules the rules of namespaces without rules of their own; null = everything allowed
 * @param prod production mode: no dev-mode credentials, rules and a verification key required
 * @param limits the gateway's connection cap and rate limits; null for the defaults
 * @param redis a Redis URI for the cluster-wide state ({@code redis://host:port}), or null for in-memory state
 * @param leaseTtlMs how long a silent gateway keeps its lease (default {@value #DEFAULT_LEASE_TTL_MS})
 */
public record ServerConfig(
    Role role,
    String host,
    int port,
    Path dataDir,
    String kafka,
    String mongo,
    int partitions,
    int batchOps,
    long batchDelayMs,
    String defaultNamespace,
    long writeTimeoutMs,
    long maxBodyBytes,
    long sseKeepAliveMs,
    AuthConfig auth,
    RulesDocument defaultRules,
    boolean prod,
    LimitsConfig limits,
    String redis,
    long leaseTtlMs) {

  public static final String WRITES_TOPIC = ProcessorConfig.DEFAULT_WRITES_TOPIC;
  public static final String CHANGES_TOPIC = ProcessorConfig.DEFAULT_CHANGES_TOPIC;
  /** More would only make startup and rebalances slower; a namespace lives in one partition anyway. */
  public static final int MAX_PARTITIONS = 1024;
  /** Firebase's REST limit, and what the write log's record size (set up by {@link CanopyServer}) can carry. */
  public static final long MAX_BODY_BYTES_LIMIT = GatewayConfig.DEFAULT_MAX_REST_BODY_BYTES;
  public static final long DEFAULT_LEASE_TTL_MS = ClusterState.Timing.DEFAULT_LEASE_TTL.toMillis();
  public static final long MIN_LEASE_TTL_MS = 300;

  public ServerConfig {
    auth = auth == null ? AuthConfig.defaults() : auth;
    defaultRules = defaultRules == null ? RulesDocument.ALLOW_ALL : defaultRules;
    limits = limits == null ? LimitsConfig.defaults() : limits;
    if (prod) {
      if (auth.devMode()) {
        throw new IllegalArgumentException("server: --prod and --dev-mode true exclude each other");
      }
      if (defaultRules == RulesDocument.ALLOW_ALL) {
        throw new IllegalArgumentException("server: --prod requires --rules <file>");
      }
      if (!auth.hasVerificationKey()) {
        throw new IllegalArgumentException("server: --prod requires --jwt-secret, --jwt-public-key-file or"
            + " --jwks-file");
      }
    }
    if (role == null) {
      throw new IllegalArgumentException("server: role must be set");
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("server: --host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("server: --port must be 0..65535: " + port);
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("server: --data-dir must be set");
    }
    if (kafka != null && kafka.isBlank()) {
      throw new IllegalArgumentException("server: --kafka must not be blank");
    }
    if (mongo != null && !(mongo.startsWith("mongodb://") || mongo.startsWith("mongodb+srv://"))) {
      throw new IllegalArgumentException("server: --mongo must be a connection string starting with mongodb:// or "
          + "mongodb+srv://");
    }
    if (redis != null && !(redis.startsWith("redis://") || redis.startsWith("rediss://"))) {
      throw new IllegalArgumentException("server: --redis must be a URI starting with redis:// or rediss://");
    }
    if (leaseTtlMs < MIN_LEASE_TTL_MS) {
      throw new IllegalArgumentException("server: --lease-ttl-ms must be >= " + MIN_LEASE_TTL_MS + ": "
          + leaseTtlMs);
    }
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new IllegalArgumentException("server: --partitions must be 1.." + MAX_PARTITIONS + ": " + partitions);
    }
    if (batchOps < 1) {
      throw new IllegalArgumentException("server: --batch-ops must be >= 1: " + batchOps);
    }
    if (batchDelayMs < 0) {
      throw new IllegalArgumentException("server: --batch-delay-ms must be >= 0: " + batchDelayMs);
    }
    if (!NamespaceResolver.isValid(defaultNamespace)) {
      throw new IllegalArgumentException("server: --default-ns must be 1 to 50 characters of a-z, 0-9 and -: "
          + defaultNamespace);
    }
    if (writeTimeoutMs < 1) {
      throw new IllegalArgumentException("server: --write-timeout-ms must be >= 1: " + writeTimeoutMs);
    }
    if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_BYTES_LIMIT) {
      throw new IllegalArgumentException("server: --max-body-bytes must be 1.." + MAX_BODY_BYTES_LIMIT + ": "
          + maxBodyBytes);
    }
    if (sseKeepAliveMs < 1) {
      throw new IllegalArgumentException("server: --sse-keepalive-ms must be >= 1: " + sseKeepAliveMs);
    }
    // Split roles run in separate processes that must share Kafka and the store: neither can be embedded.
    if (role != Role.ALL && (kafka == null || mongo == null)) {
      throw new IllegalArgumentException("server: --role " + role.flagValue() + " needs --kafka and --mongo (the"
          + " embedded Kafka and RocksDB serve the all-in-one role only)");
    }
  }

  /** All defaults: all-in-one under {@code ./data}. */
  public static ServerConfig defaults() {
    return parse(List.of(), Map.of());
  }

  /** True if the arguments ask for the usage text. */
  public static boolean isHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  /**
   * Builds the config from command-line arguments over environment variables over defaults. Flags take
   * {@code --flag value} or {@code --flag=value}; a role may also be given as the first argument.
   *
   * @throws UsageException for unknown flags, missing or malformed values and invalid combinations
   */
  public static ServerConfig parse(List<String> args, Map<String, String> env) {
    Map<ServerOption, String> values = new EnumMap<>(ServerOption.class);
    for (ServerOption o : ServerOption.values()) {
      String fromEnv = env.get(o.env());
      if (fromEnv != null && !fromEnv.isBlank()) {
        values.put(o, fromEnv.trim());
      }
    }
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (i == 0 && Role.parse(arg) != null) {
        values.put(ServerOption.ROLE, arg);
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument \"" + arg + "\"");
      }
      int eq = arg.indexOf('=');
      String flag = eq < 0 ? arg : arg.substring(0, eq);
      ServerOption option = ServerOption.byFlag(flag);
      if (option == null) {
        throw new UsageException("unknown option " + flag);
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      } else if (option == ServerOption.PROD) {
        value = "true"; // a bare switch
      } else {
        throw new UsageException("option " + flag + " needs a value");
      }
      values.put(option, value);
    }
    try {
      return new ServerConfig(
          role(text(values, ServerOption.ROLE)),
          text(values, ServerOption.HOST),
          intNumber(values, ServerOption.PORT),
          Path.of(text(values, ServerOption.DATA_DIR)),
          text(values, ServerOption.KAFKA),
          text(values, ServerOption.MONGO),
          intNumber(values, ServerOption.PARTITIONS),
          intNumber(values, ServerOption.BATCH_OPS),
          number(values, ServerOption.BATCH_DELAY_MS),
          text(values, ServerOption.DEFAULT_NS),
          number(values, ServerOption.WRITE_TIMEOUT_MS),
          number(values, ServerOption.MAX_BODY_BYTES),
          number(values, ServerOption.SSE_KEEP_ALIVE_MS),
          authConfig(values),
          rules(values),
          prod(values),
          limits(values),
          text(values, ServerOption.REDIS),
          number(values, ServerOption.LEASE_TTL_MS));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage().replaceFirst("^server: ", ""));
    }
  }

  /** The usage text of {@code --help}. */
  public static String usage() {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: canopy [all|gateway|processor] [options]\n\n")
        .append("Canopy: a realtime JSON-tree database speaking the Firebase RTDB protocol and REST API.\n")
        .append("With no options it runs everything in one JVM, with embedded Kafka and RocksDB under ./data.\n\n")
        .append("Options (flag, then environment variable):\n");
    for (ServerOption o : ServerOption.values()) {
      sb.append(String.format(Locale.ROOT, "  %-24s %-23s %s%n", o.flag() + " <value>", o.env(), o.doc()));
      if (o.defaultValue() != null) {
        sb.append(String.format(Locale.ROOT, "  %-24s %-23s (default: %s)%n", "", "", o.defaultValue()));
      }
    }
    sb.append(String.format(Locale.ROOT, "  %-24s %-23s %s%n", "--help, -h", "", "this text"));
    return sb.toString();
  }

  public boolean embeddedKafka() {
    return kafka == null;
  }

  public Path kafkaDir() {
    return dataDir.resolve("kafka");
  }

  public Path storeDir() {
    return dataDir.resolve("store");
  }

  /** The gateway's config on the given Kafka. */
  public GatewayConfig gatewayConfig(String bootstrapServers) {
    return GatewayConfig.defaults(bootstrapServers, partitions)
        .withListen(host, port)
        .withDefaultNamespace(defaultNamespace)
        .withWriteTimeoutMs(writeTimeoutMs)
        .withMaxRestBodyBytes(maxBodyBytes)
        .withSseKeepAliveMs(sseKeepAliveMs)
        .withAuth(auth)
        .withLimits(limits);
  }

  /** The pusher's config on the given Kafka, for the gateway known as {@code gatewayId}. */
  public PusherConfig pusherConfig(String bootstrapServers, String gatewayId) {
    return new PusherConfig(bootstrapServers, CHANGES_TOPIC, partitions, gatewayId).withDefaultRules(defaultRules);
  }

  /** The processor's config on the given Kafka. */
  public ProcessorConfig processorConfig(String bootstrapServers) {
    return ProcessorConfig.defaults(bootstrapServers).withBatching(batchOps, batchDelayMs)
        .withDefaultRules(defaultRules);
  }

  /** A copy listening elsewhere (tests use port 0). */
  public ServerConfig withListen(String newHost, int newPort) {
    return new ServerConfig(role, newHost, newPort, dataDir, kafka, mongo, partitions, batchOps, batchDelayMs,
        defaultNamespace, writeTimeoutMs, maxBodyBytes, sseKeepAliveMs, auth, defaultRules, prod, limits, redis,
        leaseTtlMs);
  }

  /** A copy keeping its data elsewhere. */
  public ServerConfig withDataDir(Path dir) {
    return new ServerConfig(role, host, port, dir, kafka, mongo, partitions, batchOps, batchDelayMs,
        defaultNamespace, writeTimeoutMs, maxBodyBytes, sseKeepAliveMs, auth, defaultRules, prod, limits, redis,
        leaseTtlMs);
  }

  /** The lease timing of a gateway: {@code leaseTtlMs}, renewed every third of it, reaped every fifth. */
  public ClusterState.Timing clusterTiming() {
    return ClusterState.Timing.ofLeaseTtl(Duration.ofMillis(leaseTtlMs));
  }

  private static LimitsConfig limits(Map<ServerOption, String> values) {
    long max = number(values, ServerOption.MAX_CONNECTIONS);
    if (max < 0 || max > Integer.MAX_VALUE) {
      throw new UsageException("--max-connections must be 0.." + Integer.MAX_VALUE + ": " + max);
    }
    return LimitsConfig.defaults()
        .withMaxConnections((int) max)
        .withWsMessages(rate(values, ServerOption.WS_MESSAGES_PER_SECOND))
        .withWsFloodFrames(rate(values, ServerOption.WS_FLOOD_FRAMES_PER_SECOND))
        .withNamespaceWrites(rate(values, ServerOption.NAMESPACE_WRITES_PER_SECOND))
        .withClusterNamespaceWrites(nonNegative(values, ServerOption.CLUSTER_NAMESPACE_WRITES_PER_SECOND));
  }

  private static long nonNegative(Map<ServerOption, String> values, ServerOption option) {
    long v = number(values, option);
    if (v < 0) {
      throw new UsageException(option.flag() + " must be >= 0: " + v);
    }
    return v;
  }

  /** A per-second rate with bursts of two seconds; 0 = unlimited. */
  private static Rate rate(Map<ServerOption, String> values, ServerOption option) {
    long perSecond = number(values, option);
    if (perSecond < 0) {
      throw new UsageException(option.flag() + " must be >= 0: " + perSecond);
    }
    return perSecond == 0 ? Rate.UNLIMITED : Rate.perSecond(perSecond, 2);
  }

  private static boolean prod(Map<ServerOption, String> values) {
    String v = text(values, ServerOption.PROD).trim().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new UsageException("--prod must be true or false: \"" + v + "\"");
    }
    return Boolean.parseBoolean(v);
  }

  /** The {@code --rules} file, compiled; a bad document stops the server with its line and column. */
  private static RulesDocument rules(Map<ServerOption, String> values) {
    String file = text(values, ServerOption.RULES);
    if (file == null) {
      return null;
    }
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new UsageException("--rules cannot be read: " + file + " (" + e.getMessage() + ")");
    }
    try {
      return RulesDocument.parse(text);
    } catch (RulesParseException e) {
      throw new UsageException("--rules " + file + " is not a valid rules document: " + e.getMessage());
    }
  }

  /** The gateway's credential checks from {@code --dev-mode} and the {@code --jwt-*} / {@code --jwks-file} flags. */
  private static AuthConfig authConfig(Map<ServerOption, String> values) {
    String devMode = text(values, ServerOption.DEV_MODE).trim().toLowerCase(Locale.ROOT);
    if (prod(values) && !values.containsKey(ServerOption.DEV_MODE)) {
      devMode = "false"; // --prod turns dev mode off unless told otherwise (which it then refuses)
    }
    if (!devMode.equals("true") && !devMode.equals("false")) {
      throw new UsageException("--dev-mode must be true or false: \"" + devMode + "\"");
    }
    AuthConfig auth = AuthConfig.defaults().withDevMode(Boolean.parseBoolean(devMode));
    String secret = text(values, ServerOption.JWT_SECRET);
    if (secret != null) {
      auth = auth.withHs256Secrets(List.of(secret));
    }
    String pemFile = text(values, ServerOption.JWT_PUBLIC_KEY_FILE);
    if (pemFile != null) {
      String pem;
      try {
        pem = Files.readString(Path.of(pemFile), StandardCharsets.US_ASCII);
      } catch (IOException | RuntimeException e) {
        throw new UsageException("--jwt-public-key-file cannot be read: " + pemFile + " (" + e.getMessage() + ")");
      }
      auth = auth.withPublicKeyPems(List.of(pem));
    }
    String jwks = text(values, ServerOption.JWKS_FILE);
    if (jwks != null) {
      if (!Files.isReadable(Path.of(jwks))) {
        throw new UsageException("--jwks-file cannot be read: " + jwks);
      }
      auth = auth.withJwksFile(Path.of(jwks));
    }
    String audience = text(values, ServerOption.JWT_AUDIENCE);
    if (audience != null) {
      auth = auth.withAudience(audience);
    }
    String issuer = text(values, ServerOption.JWT_ISSUER);
    if (issuer != null) {
      auth = auth.withIssuer(issuer);
    }
    return auth;
  }

  private static String text(Map<ServerOption, String> values, ServerOption option) {
    return values.getOrDefault(option, option.defaultValue());
  }

  private static long number(Map<ServerOption, String> values, ServerOption option) {
    String v = text(values, option);
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(option.flag() + " must be a whole number: \"" + v + "\"");
    }
  }

  private static int intNumber(Map<ServerOption, String> values, ServerOption option) {
    long v = number(values, option);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new UsageException(option.flag() + " is out of range: " + v);
    }
    return (int) v;
  }

  private static Role role(String value) {
    Role r = Role.parse(value.toLowerCase(Locale.ROOT));
    if (r == null) {
      throw new UsageException("--role must be all, gateway or processor: \"" + value + "\"");
    }
    return r;
  }
}
