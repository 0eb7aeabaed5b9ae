package io.canopy.server;

import io.canopy.gateway.health.HealthRoutes;
import io.canopy.gateway.health.ReadinessCheck;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP face of a processor-only process: {@code /health} (readiness: Kafka and the store reachable, the
 * processor running) and {@code /metrics} / {@code /.metrics.json}, on {@code --port}, for orchestrators and
 * Prometheus. Serves nothing else (404).
 */
final class ProcessorEndpoints implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer http;

  private ProcessorEndpoints(Vertx vertx, HttpServer http) {
    this.vertx = vertx;
    this.http = http;
  }

  static ProcessorEndpoints start(String host, int port, Supplier<Map<String, Object>> stats,
      ReadinessCheck readiness) {
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      HealthRoutes.mount(router, stats, readiness);
      HttpServer http = vertx.createHttpServer().requestHandler(router).listen(port, host)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return new ProcessorEndpoints(vertx, http);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("processor: cannot serve /health on " + host + ":" + port + ": "
          + e.getMessage(), e);
    }
  }

  int port() {
    return http.actualPort();
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
  }
}
