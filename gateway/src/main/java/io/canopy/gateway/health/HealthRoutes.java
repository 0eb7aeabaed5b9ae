package io.canopy.gateway.health;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health} (readiness: 200 {@code {"status":"ok"}} while Kafka and the store are reachable, else 503
 * with what is wrong), {@code GET /.metrics.json} (the stats supplier's map as JSON) and {@code GET /metrics} (the
 * same tree for Prometheus). Health also answers under the
 * dot-prefixed name {@code /.health}; the metrics path is dot-prefixed so it never collides with data.
 */
public final class HealthRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);
  private static final String OK = "{\"status\":\"ok\"}";

  private HealthRoutes() {}

  /** Adds the routes (always ready); mount them before the catch-all data route. */
  public static void mount(Router router, Supplier<Map<String, Object>> stats) {
    mount(router, stats, ReadinessCheck.ALWAYS);
  }

  /**
   * Adds the routes; {@code /health} answers 200 {@code {"status":"ok"}} while {@code readiness} finds nothing
   * wrong, else 503 {@code {"status":"unavailable","problems":{...}}} (load balancers take the process out).
   */
  public static void mount(Router router, Supplier<Map<String, Object>> stats, ReadinessCheck readiness) {
    for (String path : new String[] {"/health", "/.health"}) {
      router.get(path).handler(ctx -> health(ctx, readiness));
    }
    for (String path : new String[] {"/.metrics.json"}) {
      router.get(path).handler(ctx -> metrics(ctx, stats));
    }
    router.get("/metrics").handler(ctx -> prometheus(ctx, stats));
  }

  private static void health(RoutingContext ctx, ReadinessCheck readiness) {
    if (readiness == ReadinessCheck.ALWAYS) {
      json(ctx, 200, OK);
      return;
    }
    ctx.vertx().executeBlocking(readiness::problems, false).onComplete(done -> {
      Map<String, String> problems = done.succeeded() ? done.result()
          : Map.of("health", String.valueOf(done.cause()));
      if (problems.isEmpty()) {
        json(ctx, 200, OK);
      } else {
        JsonObject body = new JsonObject().put("status", "unavailable").put("problems", new JsonObject(
            new java.util.LinkedHashMap<>(problems)));
        json(ctx, 503, body.encode());
      }
    });
  }

  private static void prometheus(RoutingContext ctx, Supplier<Map<String, Object>> stats) {
    String body;
    try {
      body = PrometheusFormat.render(stats.get());
    } catch (RuntimeException e) {
      LOG.warn("Collecting metrics failed", e);
      json(ctx, 500, "{\"error\":\"Internal server error\"}");
      return;
    }
    ctx.response().setStatusCode(200).putHeader("Content-Type", PrometheusFormat.CONTENT_TYPE)
        .putHeader("Cache-Control", "no-cache").end(body);
  }

  private static void metrics(RoutingContext ctx, Supplier<Map<String, Object>> stats) {
    String body;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> tree = (Map<String, Object>) PrometheusFormat.forJson(stats.get());
      body = new JsonObject(tree).encodePrettily();
    } catch (RuntimeException e) {
      LOG.warn("Collecting metrics failed", e);
      json(ctx, 500, "{\"error\":\"Internal server error\"}");
      return;
    }
    json(ctx, 200, body);
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .end(body);
  }
}
