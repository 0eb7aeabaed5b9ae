package io.canopy.sdk;

/** A path, key, value or query is invalid (thrown at once by the method that got it), or the server refused the data. Its {@link #code()} is {@link CanopyException.Code#INVALID_DATA}. */
public class InvalidDataException extends CanopyException {
  private static final long serialVersionUID = 1L;

  public InvalidDataException(String message) {
    super(Code.INVALID_DATA, message);
  }

  public InvalidDataException(String message, Throwable cause) {
    super(Code.INVALID_DATA, message, cause);
  }
}
