package io.canopy.gateway.rest;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.gateway.GatewayConfig;
import io.canopy.gateway.auth.TokenVerifier;
import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.gateway.ns.NamespaceResolver;
import io.canopy.gateway.write.WriteLog;
import io.canopy.pusher.Pusher;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * The catch-all route of the REST API: {@code /<path>.json} with any verb; other paths are 404. It parses the
 * request (path, query parameters, credential, headers) and verifies the credential before reading any body, so bad requests are refused
 * without buffering what they send; then reads the body (capped by the gateway's limit and
 * {@code writeSizeLimit}) and hands the request to {@link RestReads}, {@link RestStreams} or {@link RestWrites}.
 * Nothing here blocks the event loop.
 */
public final class RestHandler implements Handler<RoutingContext> {
  private final NamespaceResolver namespaces;
  private final GatewayMetrics metrics;
  private final long maxBodyBytes;
  private final RestReads reads;
  private final RestWrites writes;
  private final RestStreams streams;
  private final TokenVerifier verifier;

  public RestHandler(Vertx vertx, Pusher pusher, WriteLog writeLog, NamespaceResolver namespaces,
      GatewayMetrics metrics, GatewayConfig config, TokenVerifier verifier) {
    this(vertx, pusher, writeLog, namespaces, metrics, config.maxRestBodyBytes(), config.sseKeepAliveMs(),
        RestStreams.MAX_EVENT_BYTES, verifier, !config.auth().devMode());
  }

  /**
   * @param maxBodyBytes the largest request body (413 above)
   * @param keepAliveMs the keep-alive interval of event streams
   * @param maxEventBytes the largest event a stream may carry; a larger one cancels the stream
   * @param verifier checks each request's credential (401 when it fails)
   * @param requireIndexes refuse queries ordered by a child or value without {@code .indexOn} (400), as Firebase
   *     does; dev mode serves them
   */
  public RestHandler(Vertx vertx, Pusher pusher, WriteLog writeLog, NamespaceResolver namespaces,
      GatewayMetrics metrics, long maxBodyBytes, long keepAliveMs, long maxEventBytes, TokenVerifier verifier,
      boolean requireIndexes) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.namespaces = namespaces;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
    this.reads = new RestReads(vertx, pusher, RestReads.MAX_READ_BYTES, requireIndexes);
    this.writes = new RestWrites(vertx, writeLog, reads, metrics);
    this.streams = new RestStreams(vertx, pusher, keepAliveMs, maxEventBytes);
  }

  /** The open event streams and their hooks (for security rules). */
  public EventStreams streams() {
    return streams.registry();
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest http = ctx.request();
    if (!RestPaths.isDataPath(http.path())) {
      Replies.error(ctx, RestError.NOT_FOUND);
      return;
    }
    RestMethod method;
    RestRequest request;
    try {
      method = RestMethod.effective(http.method().name(), http.getHeader(RestMethod.OVERRIDE_HEADER));
      if (method == null) {
        Replies.error(ctx, RestError.METHOD_NOT_ALLOWED);
        return;
      }
      metrics.request(method.name());
      MultiMap query;
      try {
        query = ctx.queryParams();
      } catch (RuntimeException e) {
        throw new CanopyException(ErrorCode.INVALID_QUERY, "Invalid query string: " + e.getMessage());
      }
      RestRequest parsed = RestRequest.parse(method, http.path(), query::get, http::getHeader, namespaces);
      request = parsed.withCredential(parsed.credential().verify(verifier));
    } catch (RuntimeException e) {
      Replies.error(ctx, e);
      return;
    }
    if (method == RestMethod.GET) {
      if (request.stream()) {
        streams.open(ctx, request);
      } else {
        reads.get(ctx, request);
      }
      return;
    }
    long limit = request.bodyLimit(maxBodyBytes);
    WriteSizeLimit guard = request.params().writeSizeLimit();
    LongFunction<CanopyException> overLimit = guard != null && limit < maxBodyBytes
        ? guard::tooLarge
        : size -> BodyReader.tooLarge(maxBodyBytes);
    BodyReader.read(http, limit, overLimit).onComplete(body -> Replies.guarded(ctx, () -> {
      if (body.failed()) {
        Replies.error(ctx, body.cause());
      } else {
        writes.write(ctx, request, body.result());
      }
    }));
  }
}
