package io.canopy.gateway;

import io.canopy.gateway.auth.TokenVerifier;
import io.canopy.gateway.cluster.ClusterAgent;
import io.canopy.gateway.console.ConsoleRoutes;
import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.gateway.health.HealthRoutes;
import io.canopy.gateway.health.ReadinessCheck;
import io.canopy.gateway.limits.ClusterWriteBudget;
import io.canopy.gateway.limits.GatewayLimits;
import io.canopy.gateway.ns.NamespaceResolver;
import io.canopy.gateway.rest.JsonReplies;
import io.canopy.gateway.rest.RestError;
import io.canopy.gateway.rest.RestHandler;
import io.canopy.gateway.rest.RulesSettings;
import io.canopy.gateway.write.WriteLog;
import io.canopy.gateway.ws.LongPollEndpoint;
import io.canopy.gateway.ws.RealtimeServices;
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
  private final ClusterAgent cluster;
  private final AtomicBoolean closed = new AtomicBoolean();

  private GatewayServer(Vertx vertx, HttpServer http, WriteLog writeLog, ClusterAgent cluster) {
    this.vertx = vertx;
    this.http = http;
    this.writeLog = writeLog;
    this.cluster = cluster;
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
    return start(config, pusher, extraStats, readiness, GatewayCluster.standalone(pusher.acks().gatewayId()));
  }

  /**
   * Like {@link #start(GatewayConfig, Pusher, Supplier, ReadinessCheck)}, taking part in {@code cluster}: the
   * gateway holds a lease there (taken before it listens), keeps its connections' on-disconnect queues and
   * counts there, reaps dead gateways' queues, and shares cluster-wide namespace write budgets. The caller owns
   * {@code cluster.state()} and closes it after the gateway.
   *
   * @throws IllegalStateException also if the cluster state does not answer
   */
  public static GatewayServer start(GatewayConfig config, Pusher pusher, Supplier<Map<String, Object>> extraStats,
      ReadinessCheck readiness, GatewayCluster cluster) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(pusher, "pusher");
    Objects.requireNonNull(cluster, "cluster");
    Supplier<Map<String, Object>> extra = extraStats == null ? Map::of : extraStats;
    WriteLog writeLog = WriteLog.open(config.bootstrapServers(), config.writesTopic(), config.partitions(),
        config.writeTimeoutMs(), config.maxRestBodyBytes(), pusher.acks());
    ClusterAgent agent;
    try {
      agent = ClusterAgent.start(cluster, w -> writeLog.write(w.namespace(), w.op(), null, w.caller()));
    } catch (RuntimeException e) {
      writeLog.close();
      throw e;
    }
    // No file caching: it would create a .vertx directory in the working directory, and we serve no files.
    Vertx vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(
        new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    try {
      GatewayMetrics metrics = new GatewayMetrics();
      ClusterWriteBudget clusterWrites = new ClusterWriteBudget(cluster.state().rateLimiter(),
          config.limits().clusterNamespaceWrites());
      if (!clusterWrites.unlimited()) {
        agent.every(Duration.ofMillis(ClusterWriteBudget.SYNC_INTERVAL_MS), clusterWrites::sync);
      }
      GatewayLimits limits = new GatewayLimits(config.limits(), clusterWrites);
      Router router = Router.router(vertx);
      router.route().handler(new Cors());
      HealthRoutes.mount(router, () -> stats(metrics, limits, writeLog, pusher, agent, extra), readiness);
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
      RealtimeServices realtime = new RealtimeServices(pusher, writeLog, namespaces, metrics, config, verifier, limits,
          agent);
      router.routeWithRegex(LongPollEndpoint.PATHS).handler(new LongPollEndpoint(realtime));
      router.route(WebSocketEndpoint.PATH).handler(new WebSocketEndpoint(realtime));
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
      return new GatewayServer(vertx, http, writeLog, agent);
    } catch (RuntimeException e) {
      closeQuietly(vertx);
      agent.close();
      writeLog.close();
      throw e;
    }
  }

  /** The bound port (the real one when the config asked for 0). */
  public int port() {
    return http.actualPort();
  }

  /**
   * Stops accepting requests, lets in-flight ones finish (5 s at most), produces the closed connections'
   * on-disconnect writes, gives the cluster lease up, then stops producing. Idempotent.
   */
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
    cluster.close();
    closeQuietly(vertx);
    writeLog.close();
    LOG.info("Gateway stopped");
  }

  /**
   * Stops like a crash, for failure tests: the lease is neither renewed nor given up, and every connection is
   * dropped without producing its on-disconnect writes, which stay in the cluster state until a surviving gateway
   * claims them (once the lease expired). Idempotent; {@link #close} does nothing after it.
   */
  public void halt() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    cluster.halt();
    closeQuietly(vertx);
    writeLog.close();
    LOG.info("Gateway halted (simulated crash)");
  }

  private static Map<String, Object> stats(GatewayMetrics metrics, GatewayLimits limits, WriteLog writeLog,
      Pusher pusher, ClusterAgent cluster, Supplier<Map<String, Object>> extra) {
    Map<String, Object> gateway = new LinkedHashMap<>(metrics.snapshot());
    gateway.put("writeLogAppendMs", writeLog.appendLatency().snapshot());
    gateway.put("limits", limits.stats());
    gateway.put("pendingVerdicts", pusher.acks().waitingCount());
    gateway.put("bufferedChanges", pusher.bufferedChanges());
    gateway.put("cluster", cluster.stats());
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
