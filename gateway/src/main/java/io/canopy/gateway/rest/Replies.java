package io.canopy.gateway.rest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends REST replies: JSON with Firebase's headers, 204 for {@code print=silent}, and error bodies. */
final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  /** A JSON reply; {@code print=silent} turns a 200 into 204 without a body. */
  static void json(RoutingContext ctx, int status, byte[] body, RestParams params) {
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return; // the client went away
    }
    if (status == 200 && params.print() == RestParams.Print.SILENT) {
      response.setStatusCode(204).end();
      return;
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .end(Buffer.buffer(body));
  }

  /**
   * Runs a reply step, answering 500 if it throws: an exception escaping an async callback would otherwise leave
   * the client waiting for a reply that never comes.
   */
  static void guarded(RoutingContext ctx, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      error(ctx, e);
    }
  }

  /** An error reply; an unexpected failure is logged with its request here, the client sees a plain 500. */
  static void error(RoutingContext ctx, Throwable failure) {
    RestError error = RestError.of(failure);
    if (error.unexpected()) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().uri(), failure);
    }
    error(ctx, error);
  }

  static void error(RoutingContext ctx, RestError error) {
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return;
    }
    if (error.status() == 413) {
      // The rest of an oversized body is not read: don't reuse the connection.
      response.putHeader("Connection", "close");
    }
    json(ctx, error.status(), JsonReplies.error(error.message()), RestParams.DEFAULTS);
  }
}
