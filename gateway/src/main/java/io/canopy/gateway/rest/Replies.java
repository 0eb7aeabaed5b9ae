package io.canopy.gateway.rest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends REST replies: JSON with Firebase's headers, 204 for {@code print=silent}, JSONP ({@code callback}),
 * downloads ({@code download}) and error bodies.
 */
final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);
  static final String JSON = "application/json; charset=utf-8";
  static final String JAVASCRIPT = "application/javascript; charset=utf-8";

  private Replies() {}

  /** A JSON reply to a write; {@code print=silent} turns a 200 into 204 without a body. */
  static void json(RoutingContext ctx, int status, byte[] body, RestParams params) {
    send(ctx, status, Buffer.buffer(body), params, false);
  }

  /**
   * The reply to a read: like {@link #json}, and a 200 is wrapped as {@code callback(<json>);} for JSONP and
   * offered as a file for {@code download}.
   */
  static void read(RoutingContext ctx, int status, Buffer body, RestParams params) {
    send(ctx, status, body, params, true);
  }

  private static void send(RoutingContext ctx, int status, Buffer body, RestParams params, boolean read) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return; // the client went away
    }
    if (status == 200 && params.print() == RestParams.Print.SILENT) {
      response.setStatusCode(204).end();
      return;
    }
    response.setStatusCode(status).putHeader("Cache-Control", "no-cache");
    if (read && status == 200 && params.download() != null) {
      response.putHeader("Content-Disposition", contentDisposition(params.download()));
    }
    if (read && params.callback() != null) {
      Buffer script = Buffer.buffer(body.length() + params.callback().length() + 3)
          .appendString(params.callback()).appendString("(").appendBuffer(body).appendString(");");
      response.putHeader("Content-Type", JAVASCRIPT).end(script);
      return;
    }
    response.putHeader("Content-Type", JSON).end(body);
  }

  /** {@code attachment} with an ASCII fallback name and the exact name as RFC 5987 {@code filename*}. */
  static String contentDisposition(String name) {
    StringBuilder ascii = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
    }
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
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
    if (response.ended() || response.closed()) {
      return;
    }
    if (error.status() == 413 || (!ctx.request().isEnded() && BodyReader.hasBody(ctx.request()))) {
      // The rest of the body will not be read: don't reuse the connection.
      response.putHeader("Connection", "close");
    }
    json(ctx, error.status(), JsonReplies.error(error.message()), RestParams.DEFAULTS);
  }
}
