package io.canopy.core.error;

/** Bad input or a failed operation, carrying its catalogue entry. Thrown at once for invalid input. */
public class CanopyException extends RuntimeException {
  private final ErrorCode code;

  public CanopyException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public CanopyException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static CanopyException invalidPath(String message) {
    return new CanopyException(ErrorCode.INVALID_PATH, message);
  }

  public static CanopyException invalidData(String message) {
    return new CanopyException(ErrorCode.INVALID_DATA, message);
  }
}
