package io.canopy.sdk;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives the child-level changes of a location or query, in the query's order. At first, one
 * {@link #onChildAdded} per existing child in order; then, for each change: removals first, then additions and moves
 * (children entering or leaving a limit window included), then changes. {@code previousChildKey} is the key of the
 * child just before this one in the new order (null when it is first). Every method defaults to doing nothing; all
 * are called on the client's event thread.
 */
public interface ChildListener {
  default void onChildAdded(DataSnapshot snapshot, String previousChildKey) {}

  default void onChildChanged(DataSnapshot snapshot, String previousChildKey) {}

  default void onChildRemoved(DataSnapshot snapshot) {}

  /** The child's position in the query's order changed (it also gets {@link #onChildChanged}). */
  default void onChildMoved(DataSnapshot snapshot, String previousChildKey) {}

  /** The server refused or revoked the listen; no more events follow. */
  default void onCancelled(CanopyException error) {}

  /** A listener that hands every event to {@code handler} as a {@link ChildEvent}. */
  static ChildListener of(Consumer<ChildEvent> handler) {
    Objects.requireNonNull(handler, "handler");
    return new ChildListener() {
      @Override
      public void onChildAdded(DataSnapshot snapshot, String previousChildKey) {
        handler.accept(new ChildEvent(ChildEvent.Type.ADDED, snapshot, previousChildKey));
      }

      @Override
      public void onChildChanged(DataSnapshot snapshot, String previousChildKey) {
        handler.accept(new ChildEvent(ChildEvent.Type.CHANGED, snapshot, previousChildKey));
      }

      @Override
      public void onChildRemoved(DataSnapshot snapshot) {
        handler.accept(new ChildEvent(ChildEvent.Type.REMOVED, snapshot, null));
      }

      @Override
      public void onChildMoved(DataSnapshot snapshot, String previousChildKey) {
        handler.accept(new ChildEvent(ChildEvent.Type.MOVED, snapshot, previousChildKey));
      }
    };
  }
}
