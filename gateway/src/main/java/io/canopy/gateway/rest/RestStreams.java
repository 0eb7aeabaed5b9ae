package io.canopy.gateway.rest;

import io.canopy.core.query.QuerySpec;
import io.canopy.gateway.auth.AuthContext;
import io.canopy.pusher.Pusher;
import io.canopy.pusher.PusherSession;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * Opens REST event streams ({@code GET} with {@code Accept: text/event-stream}): each stream is one pusher session
 * with one listen, so streams share the pusher's views (no store read per stream when the view exists) and a slow
 * client gets the pusher's resync instead of a backlog. A query stream is a tagged listen whose every change is a
 * {@code put} of the whole result at {@code /}. Closing the connection closes the session.
 */
final class RestStreams {
  /** Firebase cancels a stream whose broadcast would exceed 512 MB. */
  static final long MAX_EVENT_BYTES = 512L * 1024 * 1024;
  /** The tag of a query stream's listen (one listen per session, so any constant does). */
  private static final long QUERY_TAG = 1L;

  private final Vertx vertx;
  private final Pusher pusher;
  private final long keepAliveMs;
  private final long maxEventBytes;
  private final EventStreams registry = new EventStreams();

  RestStreams(Vertx vertx, Pusher pusher, long keepAliveMs, long maxEventBytes) {
    this.vertx = vertx;
    this.pusher = pusher;
    this.keepAliveMs = keepAliveMs;
    this.maxEventBytes = maxEventBytes;
  }

  EventStreams registry() {
    return registry;
  }

  void open(RoutingContext ctx, RestRequest request) {
    HttpServerResponse response = ctx.response();
    RestStream stream = new RestStream(vertx, response, request, maxEventBytes, registry);
    PusherSession session = pusher.openSession(stream);
    session.setCaller(AuthContext.callerOf(request.credential().context()));
    stream.attach(RestStream.Session.of(session));
    response.closeHandler(v -> stream.finish());
    response.exceptionHandler(e -> stream.finish());
    // A graceful server shutdown waits for open requests: end the stream instead of holding it up.
    ctx.request().connection().shutdownHandler(v -> stream.finish());

    QuerySpec query = request.params().query();
    boolean tagged = query != null && !query.isDefault();
    Context context = vertx.getOrCreateContext();
    session.listen(request.namespace(), request.path(), query == null ? QuerySpec.DEFAULT : query,
            tagged ? QUERY_TAG : null)
        .whenComplete((ok, error) -> context.runOnContext(v -> Replies.guarded(ctx, () -> {
          if (error == null) {
            stream.live(keepAliveMs);
            return;
          }
          Throwable cause = error instanceof CompletionException && error.getCause() != null
              ? error.getCause() : error;
          if (stream.isFinished() || cause instanceof CancellationException) {
            stream.finish(); // the client went away first
          } else if (stream.claimForError()) {
            stream.abandon();
            Replies.error(ctx, cause);
          } else {
            stream.finish();
          }
        })));
  }
}
