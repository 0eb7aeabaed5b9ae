package io.canopy.sdk;

/**
 * Receives the value of a location or query: once with the current value (as soon as it is known), then after
 * every change, including this client's own writes at once (before the server acknowledged them). Called on the
 * client's event thread.
 */
@FunctionalInterface
public interface ValueListener {
  /** The new value; {@link DataSnapshot#exists()} is false when there is no data. */
  void onValue(DataSnapshot snapshot);

  /** The server refused or revoked the listen (for example {@link PermissionDeniedException}); no more events follow. */
  default void onCancelled(CanopyException error) {}
}
