package io.canopy.gateway.rest;

import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import io.canopy.pusher.Pusher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/** GETs, and the current-value reads behind a 412. Pusher reads block, so they run on worker threads. */
final class RestReads {
  private final Vertx vertx;
  private final Pusher pusher;

  RestReads(Vertx vertx, Pusher pusher) {
    this.vertx = vertx;
    this.pusher = pusher;
  }

  void get(RoutingContext ctx, RestRequest request) {
    read(request.namespace(), request.path()).onComplete(done -> Replies.guarded(ctx, () -> {
      if (done.failed()) {
        Replies.error(ctx, done.cause());
        return;
      }
      Node value = done.result();
      String etag = request.wantsETag() || request.ifNoneMatch() != null ? ETags.of(value) : null;
      if (request.wantsETag()) {
        ctx.response().putHeader("ETag", etag);
      }
      if (ETags.matchesNoneMatch(request.ifNoneMatch(), etag)) {
        ctx.response().setStatusCode(304).end();
        return;
      }
      Node shown = request.params().shallow() ? JsonReplies.shallow(value) : value;
      Replies.json(ctx, 200, JsonReplies.value(shown, request.params()), request.params());
    }));
  }

  /**
   * The current value at {@code path} including every acknowledged write; a {@code .priority} path gives the
   * node's priority. Completes on the caller's context.
   */
  Future<Node> read(String namespace, Path path) {
    boolean priority = path.isPriorityPath();
    Path node = priority ? path.parent() : path;
    return vertx.executeBlocking(() -> {
      Node value = pusher.read(namespace, node);
      return priority ? value.child(Path.PRIORITY_KEY) : value;
    }, false);
  }
}
