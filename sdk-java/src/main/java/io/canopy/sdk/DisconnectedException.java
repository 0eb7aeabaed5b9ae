package io.canopy.sdk;

/** The connection was lost while the operation was in flight; for a transaction, its outcome is unknown. Its {@link #code()} is {@link CanopyException.Code#DISCONNECTED}. */
public class DisconnectedException extends CanopyException {
  private static final long serialVersionUID = 1L;

  public DisconnectedException(String message) {
    super(Code.DISCONNECTED, message);
  }

  public DisconnectedException(String message, Throwable cause) {
    super(Code.DISCONNECTED, message, cause);
  }
}
