package io.canopy.sdk;

/** A compare-and-set write (a transaction's attempt) found other data at its location than it was computed from. Its {@link #code()} is {@link CanopyException.Code#DATA_STALE}. */
public class DataStaleException extends CanopyException {
  private static final long serialVersionUID = 1L;

  public DataStaleException(String message) {
    super(Code.DATA_STALE, message);
  }

  public DataStaleException(String message, Throwable cause) {
    super(Code.DATA_STALE, message, cause);
  }
}
