package io.canopy.sdk.internal.sync;

import io.canopy.core.query.ChildChange;
import io.canopy.core.tree.Node;
import io.canopy.sdk.CanopyException;

/** Where a listener's events go (the public listener adapters implement it). Called on the event thread. */
public interface EventSink {
  /** The view's new value (the query result). */
  default void onValue(Node value) {}

  /** One child-level change of the result. */
  default void onChildChange(ChildChange change) {}

  /** The listen was refused or revoked; no more events follow. */
  default void onCancelled(CanopyException error) {}
}
