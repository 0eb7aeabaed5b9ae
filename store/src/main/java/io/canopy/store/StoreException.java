package io.canopy.store;

/**
 * A {@link TreeStore} operation failed in its backend (I/O error, lost connection, timeout, corrupt record).
 * The store's state is whatever a crash at that point would have left: a failed {@link TreeStore#apply} may be
 * retried with the same batch (replay safety). Bad arguments are reported with {@link IllegalArgumentException}
 * and use after close with {@link IllegalStateException}, never with this type.
 */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
