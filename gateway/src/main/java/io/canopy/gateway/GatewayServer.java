package io.canopy.gateway;

import io.canopy.gateway.auth.TokenVerifier;
import io.canopy.gateway.console.ConsoleRoutes;
import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.gateway.health.HealthRoutes;
import io.canopy.gateway.health.ReadinessCheck;
import io.canopy.gateway.limits.GatewayLimits;
import io.canopy.gateway.ns.NamespaceResolver;
import io.canopy.gateway.rest.JsonReplies;
import io.canopy.gateway.rest.RestError;
import io.canopy.gateway.rest.RestHandler;
import io.canopy.gateway.rest.RulesSettings;
import io.canopy.gateway.write.WriteLog;
import io.canopy.gateway.ws.LongPollEndpoint;
import io.canopy.gateway.ws.WebSocketEndpoint;
import io.canopy.pusher.Pusher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway: a Vert.x HTTP server on one port with the REST API, the realtime protocol on {@code /.ws},
 * {@code /health} and {@code /.metrics.json}.
 * It owns its Vert.x instance and its write log; the pusher belongs to the caller, who closes it after the
 * gateway.
 */
public final class GatewayServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
  private static final long START_TIMEOUT_MS = 30_000;
  private static final long STOP_TIMEOUT_MS = 10_000;
  /** In-flight requests (e.g. writes waiting for their verdict) get this long to finish on close. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final HttpServer http;
  private final WriteLog writeLog;
  private final AtomicBoolean closed = new AtomicBoolean();

  private GatewayServer(Vertx vertx, HttpServer http, WriteLog writeLog) {
    this.vertx = vertx;
    this.http = http;
    this.writeLog = writeLog;
  }

  /**
   * Starts the gateway and returns once it listens.
   *
   * @param pusher the consistent reads and verdict routing of this process
   * @param extraStats more entries for {@code /.metrics.json} (e.g. the processor's counters), read per request
   * @throws IllegalStateException if Kafka is unreachable, the write topic does not match, or the port is taken
   */
  public static GatewayServer start(GatewayConfig config, Pusher pusher, Supplier<Map<String, Object>> extraStats) {
    return start(config, pusher, extraStats, ReadinessCheck.ALWAYS);
  }

  /**
   * Like {@link #start(GatewayConfig, Pusher, Supplier)}, with {@code /health} reporting {@code readiness}.
   */
  public static GatewayServer start(GatewayConfig config, Pusher pusher, Supplier<Map<String, Object>> extraStats,
      ReadinessCheck readiness) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(pusher, "pusher");
    Supplier<Map<String, Object>> extra = extraStats == null ? Map::of : extraStats;
    WriteLog writeLog = WriteLog.open(config.bootstrapServers(), config.writesTopic(), config.partitions(),
        config.writeTimeoutMs(), config.maxRestBodyBytes(), pusher.acks());
    // No file caching: it would create a .vertx directory in the working directory, and we serve no files.
    Vertx vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(
        new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    try {
      GatewayMetrics metrics = new GatewayMetrics();
      GatewayLimits limits = new GatewayLimits(config.limits());
      Router router = Router.router(vertx);
      router.route().handler(new Cors());
      HealthRoutes.mount(router, () -> stats(metrics, limits, writeLog, pusher, extra), readiness);
      ConsoleRoutes.mount(router); // GET /, /console/*, /sdk/canopy.js
      NamespaceResolver namespaces = new NamespaceResolver(config.defaultNamespace());
      TokenVerifier verifier = new TokenVerifier(config.auth());
      if (config.auth().devMode()) {
        LOG.warn("development mode: the owner credential and unsigned tokens are accepted; use --dev-mode false in"
            + " production{}", verifier.acceptsUnverified()
            ? " (no verification key is configured: signed tokens are accepted WITHOUT checking their signature)"
            : "");
      }
      RestHandler rest = new RestHandler(vertx, pusher, writeLog, namespaces, metrics, config, verifier);
      limits.countStreams(rest.streams()::size);
      router.routeWithRegex(LongPollEndpoint.PATHS)
          .handler(new LongPollEndpoint(pusher, writeLog, namespaces, metrics, config, verifier, limits));
      router.route(WebSocketEndpoint.PATH)
          .handler(new WebSocketEndpoint(pusher, writeLog, namespaces, metrics, config, verifier, limits));
      router.route().handler(limits.restAdmission(namespaces)); // rate limits and the stream cap, before REST
      router.route(RulesSettings.PATH).handler(BodyHandler.create(false).setBodyLimit(RulesSettings.MAX_RULES_BYTES))
          .handler(new RulesSettings(vertx, pusher, writeLog, namespaces, verifier));
      router.route().handler(rest);
      router.route().failureHandler(GatewayServer::unexpectedFailure);

      HttpServer http = vertx.createHttpServer(WebSocketEndpoint.configure(new HttpServerOptions()
              .setHost(config.host())
              .setPort(config.port())
              .setCompressionSupported(true), config))
          .requestHandler(router);
      await(http.listen(), "listen on " + config.host() + ":" + config.port(), START_TIMEOUT_MS);
      LOG.info("Gateway listening on {}:{} (default namespace \"{}\")", config.host(), http.actualPort(),
          config.defaultNamespace());
      return new GatewayServer(vertx, http, writeLog);
    } catch (RuntimeException e) {
      closeQuietly(vertx);
      writeLog.close();
      throw e;
    }
  }

  /** The bound port (the real one when the config asked for 0). */
  public int port() {
    return http.actualPort();
  }

  /** Stops accepting requests, lets in-flight ones finish (5 s at most), then stops producing. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      await(http.shutdown(DRAIN_TIMEOUT), "stop the HTTP server", STOP_TIMEOUT_MS);
    } catch (RuntimeException e) {
      LOG.warn("Stopping the HTTP server failed: {}", e.getMessage());
    }
    closeQuietly(vertx);
    writeLog.close();
    LOG.info("Gateway stopped");
  }

  private static Map<String, Object> stats(GatewayMetrics metrics, GatewayLimits limits, WriteLog writeLog,
      Pusher pusher, Supplier<Map<String, Object>> extra) {
    Map<String, Object> gateway = new LinkedHashMap<>(metrics.snapshot());
    gateway.put("writeLogAppendMs", writeLog.appendLatency().snapshot());
    gateway.put("limits", limits.stats());
    gateway.put("pendingVerdicts", pusher.acks().waitingCount());
    gateway.put("bufferedChanges", pusher.bufferedChanges());
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("gateway", gateway);
    all.put("pusher", pusher.stats());
    all.putAll(extra.get());
    return all;
  }

  /** Failures no handler answered (a bug): a 500 with Firebase's error body. */
  private static void unexpectedFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    if (status >= 500) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().uri(), failure);
    }
    if (!ctx.response().ended()) {
      String message = status >= 500 ? "Internal server error" : RestError.of(failure).message();
      ctx.response().setStatusCode(status)
          .putHeader("Content-Type", "application/json; charset=utf-8")
          .end(Buffer.buffer(JsonReplies.error(message)));
    }
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      await(vertx.close(), "stop Vert.x", STOP_TIMEOUT_MS);
    } catch (RuntimeException e) {
      LOG.warn("Stopping Vert.x failed: {}", e.getMessage());
    }
  }

  private static <T> T await(Future<T> future, String what, long timeoutMs) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("gateway: cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("gateway: timed out trying to " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("gateway: interrupted trying to " + what, e);
    }
  }
}
