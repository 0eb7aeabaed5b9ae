package io.canopy.sdk;

/** The server's security rules refused the read or write. Its {@link #code()} is {@link CanopyException.Code#PERMISSION_DENIED}. */
public class PermissionDeniedException extends CanopyException {
  private static final long serialVersionUID = 1L;

  public PermissionDeniedException(String message) {
    super(Code.PERMISSION_DENIED, message);
  }

  public PermissionDeniedException(String message, Throwable cause) {
    super(Code.PERMISSION_DENIED, message, cause);
  }
}
