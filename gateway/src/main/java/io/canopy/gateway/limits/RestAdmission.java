package io.canopy.gateway.limits;

import io.canopy.gateway.ns.NamespaceResolver;
import io.canopy.gateway.rest.JsonReplies;
import io.canopy.gateway.rest.RestMethod;
import io.canopy.gateway.rest.RestPaths;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The REST side of the gateway's limits, mounted before the REST handler: a write ({@code PUT}, {@code PATCH},
 * {@code POST}, {@code DELETE}, also through {@code X-HTTP-Method-Override}) over its namespace's budget is
 * answered {@code 429 {"error": "Too many requests: ..."}} with {@code Retry-After: 1}; an event stream
 * ({@code Accept: text/event-stream}) over the connection cap {@code 503 {"error": "Too many connections: ..."}}.
 * Both are refused before the body is read or anything is parsed. Requests this handler can't classify (bad
 * method override, invalid namespace) go on to the REST handler, which answers their error.
 */
final class RestAdmission implements Handler<RoutingContext> {
  private static final String JSON = "application/json; charset=utf-8";

  private final GatewayLimits limits;
  private final NamespaceResolver namespaces;

  RestAdmission(GatewayLimits limits, NamespaceResolver namespaces) {
    this.limits = limits;
    this.namespaces = namespaces;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest http = ctx.request();
    RestMethod method;
    try {
      method = RestPaths.isDataPath(http.path())
          ? RestMethod.effective(http.method().name(), http.getHeader(RestMethod.OVERRIDE_HEADER))
          : null;
    } catch (RuntimeException e) {
      method = null; // a bad override: the REST handler answers it
    }
    if (method == RestMethod.GET) {
      String accept = http.getHeader("Accept");
      if (accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream")
          && !limits.connections().admitsStream()) {
        limits.connectionRefused();
        refuse(ctx, 503, limits.connections().refusal());
        return;
      }
    } else if (method != null) {
      String namespace;
      try {
        namespace = namespaces.resolve(http.getParam("ns"), http.getHeader("Host"));
      } catch (RuntimeException e) {
        ctx.next(); // an invalid namespace: the REST handler answers it
        return;
      }
      if (!limits.admitWrite(namespace)) {
        refuse(ctx, 429, limits.writeRefusal(namespace));
        return;
      }
    }
    ctx.next();
  }

  private static void refuse(RoutingContext ctx, int status, String message) {
    HttpServerResponse response = ctx.response();
    if (!ctx.request().isEnded()) {
      response.putHeader("Connection", "close"); // the body is not read
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", JSON)
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Retry-After", "1")
        .end(Buffer.buffer(JsonReplies.error(message)));
  }
}
