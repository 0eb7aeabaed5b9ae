package io.canopy.gateway.rest;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.store.StoreException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;

/**
 * An error reply: the HTTP status and the message of Firebase's {@code {"error": "..."}} body. Bad input and
 * catalogued failures keep their message; anything unexpected becomes a 500 whose body reveals nothing internal.
 * Messages are cut to {@value #MAX_MESSAGE_CHARS} characters: they may quote the request (a key of megabytes), and
 * an error must never be bigger than the mistake.
 *
 * @param unexpected true if this maps an unexpected exception (the caller logs it)
 */
public record RestError(int status, String message, boolean unexpected) {
  /** The longest error message sent. */
  static final int MAX_MESSAGE_CHARS = 1_000;

  public static final RestError NOT_FOUND = new RestError(404, "Not found: data paths end in .json", false);
  public static final RestError METHOD_NOT_ALLOWED = new RestError(405, "Method not allowed", false);
  static final String INTERNAL_MESSAGE = "Internal server error";

  public RestError {
    if (message != null && message.length() > MAX_MESSAGE_CHARS) {
      int end = MAX_MESSAGE_CHARS - 3;
      if (Character.isHighSurrogate(message.charAt(end - 1))) {
        end--;
      }
      message = message.substring(0, end) + "...";
    }
  }

  /** The reply for a failure of any request stage (parsing, Kafka, pusher reads). */
  public static RestError of(Throwable failure) {
    Throwable e = unwrap(failure);
    if (e instanceof CanopyException ce) {
      return of(ce.code(), ce.getMessage());
    }
    if (e instanceof StoreException || e instanceof KafkaException) {
      // the store or Kafka failed underneath a read: a 503 (logged), never a hang or a bare 500
      return new RestError(503, standardMessage(ErrorCode.UNAVAILABLE), true);
    }
    return new RestError(500, INTERNAL_MESSAGE, true);
  }

  /** The reply for a write the processor rejected. */
  public static RestError of(ChangeRecord rejected) {
    return of(rejected.error(), rejected.message());
  }

  /** The reply for a catalogued error; a null or blank message gets the code's standard one. */
  public static RestError of(ErrorCode code, String message) {
    ErrorCode c = code == null ? ErrorCode.INTERNAL : code;
    String text = message == null || message.isBlank() ? standardMessage(c) : message;
    return new RestError(c.httpStatus(), text, false);
  }

  /** Firebase's wording where it has one. */
  static String standardMessage(ErrorCode code) {
    return switch (code) {
      case INVALID_PATH -> "Invalid path";
      case INVALID_DATA -> "Invalid data; couldn't parse JSON object, array, or value.";
      case INVALID_QUERY -> "Invalid query";
      case PAYLOAD_TOO_LARGE -> "Payload too large";
      case PERMISSION_DENIED -> "Permission denied";
      case DATASTALE -> "ETag mismatch: the data changed";
      case UNAVAILABLE, TIMEOUT -> "The database is temporarily unavailable";
      default -> INTERNAL_MESSAGE;
    };
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
