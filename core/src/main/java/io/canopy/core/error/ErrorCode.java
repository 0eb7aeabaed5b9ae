package io.canopy.core.error;

/**
 * The error catalogue: one entry per failure a client can see, with Firebase's wire status string (what the
 * v5 protocol puts in {@code b.s}) and the HTTP status the REST API answers with.
 */
public enum ErrorCode {
  INVALID_PATH("invalid_path", 400),
  INVALID_DATA("invalid_data", 400),
  INVALID_QUERY("invalid_query", 400),
  PAYLOAD_TOO_LARGE("too_big", 413),
  PERMISSION_DENIED("permission_denied", 401),
  DATASTALE("datastale", 412),
  UNAVAILABLE("unavailable", 503),
  TIMEOUT("timeout", 503),
  INTERNAL("failure", 500);

  private final String wire;
  private final int httpStatus;

  ErrorCode(String wire, int httpStatus) {
    this.wire = wire;
    this.httpStatus = httpStatus;
  }

  /** The status string of the v5 protocol ({@code b.s}). */
  public String wire() {
    return wire;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public static ErrorCode fromWire(String wire) {
    for (ErrorCode c : values()) {
      if (c.wire.equals(wire)) {
        return c;
      }
    }
    return INTERNAL;
  }
}
