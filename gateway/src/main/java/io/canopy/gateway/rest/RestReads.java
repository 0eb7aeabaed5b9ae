package io.canopy.gateway.rest;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.rules.Caller;
import io.canopy.core.tree.Node;
import io.canopy.gateway.auth.AuthContext;
import io.canopy.pusher.Pusher;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * GETs, and the current-value reads behind a 412. Pusher reads block, so they run on worker threads, and so does
 * serialising the reply (a large value would stall the event loop). Queries are evaluated here on the read
 * value with {@code core.query}, the same code the realtime views use.
 */
final class RestReads {
  /** Firebase's limit on a single read response. */
  static final long MAX_READ_BYTES = 256L * 1024 * 1024;

  private final Vertx vertx;
  private final Pusher pusher;
  private final long maxReadBytes;
  private final boolean requireIndexes;

  RestReads(Vertx vertx, Pusher pusher) {
    this(vertx, pusher, MAX_READ_BYTES, false);
  }

  RestReads(Vertx vertx, Pusher pusher, long maxReadBytes, boolean requireIndexes) {
    this.vertx = vertx;
    this.pusher = pusher;
    this.maxReadBytes = maxReadBytes;
    this.requireIndexes = requireIndexes;
  }

  /** What a GET computes off the event loop: the reply body and, when asked for, the ETag of the value. */
  private record Reply(Buffer body, String etag) {}

  void get(RoutingContext ctx, RestRequest request) {
    RestParams params = request.params();
    boolean etagNeeded = request.wantsETag() || request.ifNoneMatch() != null;
    Future<Reply> work = vertx.executeBlocking(() -> {
      checkRead(request);
      Node value = readNow(request.namespace(), request.path());
      String etag = etagNeeded ? ETags.of(JsonReplies.readValue(value, params)) : null;
      return new Reply(JsonReplies.read(value, params, maxReadBytes), etag);
    }, false);
    withDeadline(work, params.timeoutMs()).onComplete(done -> Replies.guarded(ctx, () -> {
      if (done.failed()) {
        Replies.error(ctx, done.cause());
        return;
      }
      Reply reply = done.result();
      if (request.wantsETag()) {
        ctx.response().putHeader("ETag", reply.etag());
      }
      if (ETags.matchesNoneMatch(request.ifNoneMatch(), reply.etag())) {
        ctx.response().setStatusCode(304).end();
        return;
      }
      Replies.read(ctx, 200, reply.body(), params);
    }));
  }

  /**
   * {@code timeout=}: the read fails with Firebase's 400 once the deadline passes (the worker finishes in the
   * background; its result is dropped). 0 = no deadline of our own (the pusher's reads give up by themselves).
   */
  private <T> Future<T> withDeadline(Future<T> work, long timeoutMs) {
    if (timeoutMs <= 0) {
      return work;
    }
    Promise<T> promise = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> promise.tryFail(new CanopyException(ErrorCode.INVALID_QUERY,
        "The read did not finish within the requested timeout of " + timeoutMs + " ms")));
    work.onComplete(done -> {
      vertx.cancelTimer(timer);
      if (done.succeeded()) {
        promise.tryComplete(done.result());
      } else {
        promise.tryFail(done.cause());
      }
    });
    return promise.future();
  }

  /**
   * The current value at {@code path} including every acknowledged write; a {@code .priority} path gives the
   * node's priority. Completes on the caller's context.
   */
  Future<Node> read(String namespace, Path path) {
    return vertx.executeBlocking(() -> readNow(namespace, path), false);
  }

  /** The {@code .read} rules for this request's credential; permission_denied (401) when they refuse. */
  void checkRead(RestRequest request) {
    Caller caller = AuthContext.callerOf(request.credential().context());
    Path at = request.path().isPriorityPath() ? request.path().parent() : request.path();
    if (!pusher.checkRead(request.namespace(), at, request.params().query(), caller).allowed()) {
      throw new CanopyException(ErrorCode.PERMISSION_DENIED, "Permission denied");
    }
    if (requireIndexes) {
      checkIndexed(request);
    }
  }

  /** Firebase's 400 for a query ordered by a child or by value without {@code .indexOn} at its location. */
  private void checkIndexed(RestRequest request) {
    QuerySpec q = request.params().query();
    if (q == null) {
      return;
    }
    String needed = switch (q.index().kind()) {
      case CHILD -> q.index().path().toRelativeString();
      case VALUE -> ".value";
      default -> null;
    };
    if (needed == null) {
      return;
    }
    List<String> declared = pusher.rules(request.namespace()).evaluator().indexOn(request.path());
    if (!declared.contains(needed)) {
      throw new CanopyException(ErrorCode.INVALID_QUERY, "Index not defined, add \".indexOn\": \"" + needed
          + "\", for path \"" + request.path() + "\", to the rules");
    }
  }

  private Node readNow(String namespace, Path path) {
    boolean priority = path.isPriorityPath();
    Node value = pusher.read(namespace, priority ? path.parent() : path);
    return priority ? value.child(Path.PRIORITY_KEY) : value;
  }
}
