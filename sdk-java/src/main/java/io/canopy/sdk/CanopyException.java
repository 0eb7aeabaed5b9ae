package io.canopy.sdk;

import java.util.Locale;

/**
 * A failed Canopy operation. Bad input (an invalid path, key, value or query) is thrown at once by the method that
 * got it, as an {@link InvalidDataException}; failures of asynchronous work (a write the server refused, a
 * transaction that gave up, a lost connection) complete the operation's {@code CompletableFuture} exceptionally with
 * a {@code CanopyException} (or are passed to a listener's {@code onCancelled}). {@link #code()} tells which failure it
 * is; the most common ones also have their own subclass so that they can be caught by type.
 */
public class CanopyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. {@link #wire()} is the status string of the Firebase v5 protocol. */
  public enum Code {
    /** The server's rules refused the operation ({@code permission_denied}). */
    PERMISSION_DENIED("permission_denied"),
    /** A compare-and-set write found other data than it expected ({@code datastale}). */
    DATA_STALE("datastale"),
    /** The connection was lost while the operation was in flight ({@code disconnected}). */
    DISCONNECTED("disconnected"),
    /** The data, a path, a key or a query is invalid ({@code invalid_data}, {@code invalid_path}, ...). */
    INVALID_DATA("invalid_data"),
    /** A transaction gave up after 25 attempts ({@code maxretry}). */
    MAX_RETRIES("maxretry"),
    /** The credentials were refused ({@code invalid_token}, {@code expired_token}). */
    INVALID_TOKEN("invalid_token"),
    /** The data is too large for one operation ({@code too_big}). */
    TOO_BIG("too_big"),
    /** The server is temporarily unable to serve the operation ({@code unavailable}). */
    UNAVAILABLE("unavailable"),
    /** The client was closed before the operation completed. */
    CLIENT_CLOSED("client_closed"),
    /** Anything else; the message carries the server's status. */
    UNKNOWN("unknown_error");

    private final String wire;

    Code(String wire) {
      this.wire = wire;
    }

    /** The protocol's status string for this code. */
    public String wire() {
      return wire;
    }

    /** The code for a protocol status string; unknown strings map to {@link #UNKNOWN}. */
    public static Code fromWire(String status) {
      if (status == null) {
        return UNKNOWN;
      }
      String s = status.toLowerCase(Locale.ROOT);
      switch (s) {
        case "invalid_path", "invalid_query", "invalid_data" -> {
          return INVALID_DATA;
        }
        case "expired_token" -> {
          return INVALID_TOKEN;
        }
        case "maxretries", "maxretry" -> {
          return MAX_RETRIES;
        }
        case "disconnect", "disconnected", "network_error" -> {
          return DISCONNECTED;
        }
        default -> {
          for (Code c : values()) {
            if (c.wire.equals(s)) {
              return c;
            }
          }
          return UNKNOWN;
        }
      }
    }
  }

  private final Code code;

  public CanopyException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public CanopyException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** What went wrong. */
  public Code code() {
    return code;
  }

  /**
   * The exception for a protocol error status and message, of the matching subclass ({@code permission_denied} gives
   * a {@link PermissionDeniedException}, and so on).
   */
  public static CanopyException fromStatus(String status, String message) {
    Code code = Code.fromWire(status);
    String text = message == null || message.isBlank() ? status : status + ": " + message;
    return switch (code) {
      case PERMISSION_DENIED -> new PermissionDeniedException(text);
      case DATA_STALE -> new DataStaleException(text);
      case DISCONNECTED -> new DisconnectedException(text);
      case INVALID_DATA -> new InvalidDataException(text);
      default -> new CanopyException(code, text);
    };
  }
}
