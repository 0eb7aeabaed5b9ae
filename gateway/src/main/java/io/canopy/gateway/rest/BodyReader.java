package io.canopy.gateway.rest;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.LongFunction;

/**
 * Reads a request body into a {@link RequestBody} with a size cap. Unlike vertx-web's BodyHandler it never decodes
 * forms, so a JSON body sent as {@code application/x-www-form-urlencoded} (curl's {@code -d} default) reaches us
 * intact, and it keeps each byte once. Must be called before the handler returns to the event loop (the router
 * does not pause requests).
 */
final class BodyReader {
  private BodyReader() {}

  /** The whole body, or a failure with PAYLOAD_TOO_LARGE (413) once it exceeds {@code limit} bytes. */
  static Future<RequestBody> read(HttpServerRequest request, long limit) {
    return read(request, limit, size -> tooLarge(limit));
  }

  /**
   * The whole body, or a failure with {@code overLimit.apply(size)} once it exceeds {@code limit} bytes, where
   * size is the declared length or -1 when the excess was found while reading.
   */
  static Future<RequestBody> read(HttpServerRequest request, long limit, LongFunction<CanopyException> overLimit) {
    long declared = declaredLength(request);
    if (declared > limit) {
      return Future.failedFuture(overLimit.apply(declared));
    }
    if (request.isEnded()) {
      return Future.succeededFuture(RequestBody.empty());
    }
    Promise<RequestBody> promise = Promise.promise();
    RequestBody body = new RequestBody(declared);
    request.handler(chunk -> {
      if (promise.future().isComplete()) {
        return; // over the limit: drop the rest
      }
      if (body.length() + (long) chunk.length() > limit) {
        promise.tryFail(overLimit.apply(-1));
      } else {
        body.append(chunk);
      }
    });
    request.endHandler(v -> promise.tryComplete(body));
    request.exceptionHandler(promise::tryFail);
    request.resume();
    return promise.future();
  }

  /** True if the request announces a body (so an early reply leaves bytes unread on the connection). */
  static boolean hasBody(HttpServerRequest request) {
    return declaredLength(request) > 0 || request.getHeader("Transfer-Encoding") != null;
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

  static CanopyException tooLarge(long limit) {
    return new CanopyException(ErrorCode.PAYLOAD_TOO_LARGE,
        "Payload too large: REST request bodies are limited to " + limit + " bytes");
  }
}
