package io.canopy.gateway.rest;

import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.pushid.PushIdGenerator;
import io.canopy.gateway.auth.AuthContext;
import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.gateway.write.WriteLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * PUT, PATCH, POST and DELETE: parse the body into an op, produce it, and answer from the verdict. A datastale
 * verdict (the {@code if-match} ETag no longer matches) becomes a 412 carrying the current value and its ETag.
 */
final class RestWrites {
  /** Bodies above this are parsed on a worker thread: a large JSON document would stall the event loop. */
  private static final int INLINE_PARSE_LIMIT = 64 * 1024;

  private final Vertx vertx;
  private final WriteLog writeLog;
  private final RestReads reads;
  private final GatewayMetrics metrics;
  private final PushIdGenerator pushIds = new PushIdGenerator();

  RestWrites(Vertx vertx, WriteLog writeLog, RestReads reads, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.writeLog = writeLog;
    this.reads = reads;
    this.metrics = metrics;
  }

  void write(RoutingContext ctx, RestRequest request, RequestBody body) {
    long start = System.nanoTime();
    prepare(request, body).onComplete(prepared -> Replies.guarded(ctx, () -> {
      if (prepared.failed()) {
        Replies.error(ctx, prepared.cause());
      } else {
        submit(ctx, prepared.result(), start);
      }
    }));
  }

  private Future<PreparedWrite> prepare(RestRequest request, RequestBody body) {
    if (body.length() <= INLINE_PARSE_LIMIT) {
      try {
        return Future.succeededFuture(PreparedWrite.of(request, body, pushIds::next));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return vertx.executeBlocking(() -> PreparedWrite.of(request, body, pushIds::next), false);
  }

  private void submit(RoutingContext ctx, PreparedWrite write, long start) {
    RestRequest request = write.request();
    Context context = vertx.getOrCreateContext();
    // The verdict completes on a Kafka or pusher thread; hop back to this request's event loop.
    Future.fromCompletionStage(writeLog.write(request.namespace(), write.op(), request.expectedHash(),
        AuthContext.callerOf(request.credential().context())), context)
        .onComplete(done -> Replies.guarded(ctx, () -> {
          if (done.failed()) {
            metrics.writeFailed();
            Replies.error(ctx, done.cause());
          } else {
            answer(ctx, write, done.result(), System.nanoTime() - start);
          }
        }));
  }

  private void answer(RoutingContext ctx, PreparedWrite write, ChangeRecord verdict, long nanos) {
    RestRequest request = write.request();
    if (verdict.accepted()) {
      metrics.writeAccepted(nanos);
      String etag = request.wantsETag() ? write.resultingETag(verdict) : null;
      if (etag != null) {
        ctx.response().putHeader("ETag", etag);
      }
      Replies.json(ctx, 200, write.successBody(verdict), request.params());
      return;
    }
    metrics.writeRejected(nanos);
    if (verdict.error() == ErrorCode.DATASTALE) {
      preconditionFailed(ctx, request);
    } else {
      Replies.error(ctx, RestError.of(verdict));
    }
  }

  /** 412: the current value as body and its ETag, so the client can retry its compare-and-set. */
  private void preconditionFailed(RoutingContext ctx, RestRequest request) {
    reads.read(request.namespace(), request.path()).onComplete(current -> Replies.guarded(ctx, () -> {
      if (current.failed()) {
        Replies.error(ctx, current.cause());
        return;
      }
      ctx.response().putHeader("ETag", ETags.of(current.result()));
      Replies.json(ctx, 412, JsonReplies.value(current.result(), request.params()), request.params());
    }));
  }
}
