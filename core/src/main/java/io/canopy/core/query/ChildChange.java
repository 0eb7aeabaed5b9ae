package io.canopy.core.query;

import io.canopy.core.tree.Node;
import java.util.Objects;

/**
 * One child-level change of a query result, as the Firebase SDK's event generator names them.
 *
 * @param type what happened
 * @param key the child's key
 * @param node the child now (null for {@link Type#REMOVED})
 * @param oldNode the child before (null for {@link Type#ADDED}; the previous node for removed/changed/moved)
 * @param prevKey for added, moved and changed: the key of the child just before it in the new result in index
 *     order, or null if it comes first; always null for removed
 */
public record ChildChange(Type type, String key, Node node, Node oldNode, String prevKey) {

  /** The kind of change; {@link #eventName()} is the SDK's event type. */
  public enum Type {
    ADDED("child_added"),
    REMOVED("child_removed"),
    CHANGED("child_changed"),
    MOVED("child_moved");

    private final String eventName;

    Type(String eventName) {
      this.eventName = eventName;
    }

    public String eventName() {
      return eventName;
    }
  }

  public ChildChange {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
  }

  public static ChildChange added(String key, Node node, String prevKey) {
    return new ChildChange(Type.ADDED, key, node, null, prevKey);
  }

  public static ChildChange removed(String key, Node oldNode) {
    return new ChildChange(Type.REMOVED, key, null, oldNode, null);
  }

  public static ChildChange changed(String key, Node node, Node oldNode, String prevKey) {
    return new ChildChange(Type.CHANGED, key, node, oldNode, prevKey);
  }

  public static ChildChange moved(String key, Node node, Node oldNode, String prevKey) {
    return new ChildChange(Type.MOVED, key, node, oldNode, prevKey);
  }

  @Override
  public String toString() {
    return type.eventName() + "(" + key + (prevKey != null ? ", prev=" + prevKey : "") + ")";
  }
}
