package io.canopy.sdk;

/**
 * One child-level event, for {@link ChildListener#of(java.util.function.Consumer)}.
 *
 * @param type what happened
 * @param snapshot the child (for {@link Type#REMOVED}, its last value)
 * @param previousChildKey the key of the child now just before it in the query's order, or null if it is first
 *     (always null for {@link Type#REMOVED})
 */
public record ChildEvent(Type type, DataSnapshot snapshot, String previousChildKey) {
  /** The kinds of child event. */
  public enum Type {
    ADDED,
    CHANGED,
    REMOVED,
    MOVED
  }

  @Override
  public String toString() {
    return type + " " + snapshot.key() + (previousChildKey == null ? "" : " after " + previousChildKey);
  }
}
