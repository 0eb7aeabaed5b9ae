package io.canopy.sdk;

/**
 * The function of {@link DatabaseReference#runTransaction}: computes a location's new value from its current one.
 * It may run several times: first on the locally known value (which may be stale, or absent before the data
 * arrived), then again on fresh data each time the server finds the data changed since, up to 25 times. It must be
 * free of side effects and quick: it runs on the client's event thread.
 *
 * <p>Return the new value (anything {@link DatabaseReference#set} accepts, server values included), {@link #remove()}
 * to delete the value, or {@link #abort()} (or null) to abort the transaction.
 */
@FunctionalInterface
public interface Transaction {
  /** The new value for {@code current}; {@link #abort()} or null aborts, {@link #remove()} deletes. */
  Object apply(DataSnapshot current);

  /** Aborts the transaction: nothing is written and the result is not committed. */
  static Object abort() {
    return Sentinel.ABORT;
  }

  /** Deletes the value (writes null). */
  static Object remove() {
    return Sentinel.REMOVE;
  }

  /** The special return values. */
  enum Sentinel {
    ABORT,
    REMOVE
  }
}
