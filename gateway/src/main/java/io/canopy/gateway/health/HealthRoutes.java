package io.canopy.gateway.health;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health} (200 {@code {"status":"ok"}}: the gateway serves once it listens, as everything it needs
 * started before) and {@code GET /.metrics.json} (the stats supplier's map as JSON). Health also answers under the
 * dot-prefixed name {@code /.health}; the metrics path is dot-prefixed so it never collides with data.
 */
public final class HealthRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);
  private static final String OK = "{\"status\":\"ok\"}";

  private HealthRoutes() {}

  /** Adds the routes; mount them before the catch-all data route. */
  public static void mount(Router router, Supplier<Map<String, Object>> stats) {
    for (String path : new String[] {"/health", "/.health"}) {
      router.get(path).handler(ctx -> json(ctx, 200, OK));
    }
    for (String path : new String[] {"/.metrics.json"}) {
      router.get(path).handler(ctx -> metrics(ctx, stats));
    }
  }

  private static void metrics(RoutingContext ctx, Supplier<Map<String, Object>> stats) {
    String body;
    try {
      body = new JsonObject(stats.get()).encodePrettily();
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
