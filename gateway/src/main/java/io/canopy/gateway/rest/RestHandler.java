package io.canopy.gateway.rest;

import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.gateway.ns.NamespaceResolver;
import io.canopy.gateway.write.WriteLog;
import io.canopy.pusher.Pusher;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The catch-all route of the REST API: {@code /<path>.json} with any verb; other paths are 404. It reads the
 * body (capped), parses the request and hands it to {@link RestReads} or {@link RestWrites}. Nothing here blocks
 * the event loop.
 */
public final class RestHandler implements Handler<RoutingContext> {
  private final NamespaceResolver namespaces;
  private final GatewayMetrics metrics;
  private final long maxBodyBytes;
  private final RestReads reads;
  private final RestWrites writes;

  public RestHandler(Vertx vertx, Pusher pusher, WriteLog writeLog, NamespaceResolver namespaces,
      GatewayMetrics metrics, long maxBodyBytes) {
    this.namespaces = namespaces;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
    this.reads = new RestReads(vertx, pusher);
    this.writes = new RestWrites(vertx, writeLog, reads, metrics);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest http = ctx.request();
    if (!RestPaths.isDataPath(http.path())) {
      Replies.error(ctx, RestError.NOT_FOUND);
      return;
    }
    RestMethod method;
    try {
      method = RestMethod.effective(http.method().name(), http.getHeader(RestMethod.OVERRIDE_HEADER));
    } catch (RuntimeException e) {
      Replies.error(ctx, e);
      return;
    }
    if (method == null) {
      Replies.error(ctx, RestError.METHOD_NOT_ALLOWED);
      return;
    }
    if (http.method() == HttpMethod.GET) {
      dispatch(ctx, method, Buffer.buffer());
      return;
    }
    BodyReader.read(http, maxBodyBytes).onComplete(body -> Replies.guarded(ctx, () -> {
      if (body.failed()) {
        Replies.error(ctx, body.cause());
      } else {
        dispatch(ctx, method, body.result());
      }
    }));
  }

  private void dispatch(RoutingContext ctx, RestMethod method, Buffer body) {
    metrics.request(method.name());
    RestRequest request;
    try {
      MultiMap query = ctx.queryParams();
      HttpServerRequest http = ctx.request();
      request = RestRequest.parse(method, http.path(), query::get, http::getHeader, namespaces);
    } catch (RuntimeException e) {
      Replies.error(ctx, e);
      return;
    }
    if (method == RestMethod.GET) {
      reads.get(ctx, request);
    } else {
      writes.write(ctx, request, body);
    }
  }
}
