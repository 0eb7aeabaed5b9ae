package io.canopy.gateway;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS for browser clients, as Firebase allows: any origin, and preflights answered here. The ETag header is
 * exposed so scripts can read it for compare-and-set.
 */
final class Cors implements Handler<RoutingContext> {
  private static final String METHODS = "GET, PUT, POST, PATCH, DELETE, OPTIONS";
  private static final String HEADERS = "Content-Type, Authorization, X-Firebase-ETag, If-Match, If-None-Match, "
      + "X-HTTP-Method-Override";

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.putHeader("Access-Control-Allow-Origin", "*");
    response.putHeader("Access-Control-Expose-Headers", "ETag");
    if (ctx.request().method() != HttpMethod.OPTIONS) {
      ctx.next();
      return;
    }
    String requested = ctx.request().getHeader("Access-Control-Request-Headers");
    response.putHeader("Access-Control-Allow-Methods", METHODS)
        .putHeader("Access-Control-Allow-Headers", requested == null || requested.isBlank() ? HEADERS : requested)
        .putHeader("Access-Control-Max-Age", "86400")
        .setStatusCode(204)
        .end();
  }
}
