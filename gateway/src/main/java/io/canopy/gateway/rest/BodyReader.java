package io.canopy.gateway.rest;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body into memory with a size cap. Unlike vertx-web's BodyHandler it never decodes forms, so a
 * JSON body sent as {@code application/x-www-form-urlencoded} (curl's {@code -d} default) reaches us intact.
 * Must be called before the handler returns to the event loop (the router does not pause requests).
 */
final class BodyReader {
  private static final int MAX_PREALLOCATED = 64 * 1024;

  private BodyReader() {}

  /** The whole body, or a failure with PAYLOAD_TOO_LARGE (413) once it exceeds {@code limit} bytes. */
  static Future<Buffer> read(HttpServerRequest request, long limit) {
    long declared = declaredLength(request);
    if (declared > limit) {
      return Future.failedFuture(tooLarge(limit));
    }
    if (request.isEnded()) {
      return Future.succeededFuture(Buffer.buffer());
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer((int) Math.max(0, Math.min(declared, MAX_PREALLOCATED)));
    request.handler(chunk -> {
      if (promise.future().isComplete()) {
        return; // over the limit: drop the rest
      }
      if (body.length() + (long) chunk.length() > limit) {
        promise.tryFail(tooLarge(limit));
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> promise.tryComplete(body));
    request.exceptionHandler(promise::tryFail);
    request.resume();
    return promise.future();
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static CanopyException tooLarge(long limit) {
    return new CanopyException(ErrorCode.PAYLOAD_TOO_LARGE,
        "Payload too large: REST request bodies are limited to " + limit + " bytes");
  }
}
