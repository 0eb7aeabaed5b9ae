package io.canopy.core.tree;

import io.canopy.core.path.Path;
import java.util.function.BiConsumer;

/**
 * An immutable node of the JSON tree: {@link EmptyNode} (absent/null), {@link LeafNode} (string, number, boolean)
 * or {@link ChildrenNode} (children in Firebase key order). Updates return new nodes and share what they don't
 * change. Firebase's normalisation holds everywhere: an object with no children is empty, and empty nodes carry
 * no priority.
 *
 * <p>A priority is null, a {@link Double} or a {@link String} ({@link ServerValue} only in unresolved write data).
 */
public sealed interface Node permits EmptyNode, LeafNode, ChildrenNode {

  static Node empty() {
    return EmptyNode.INSTANCE;
  }

  boolean isEmpty();

  boolean isLeaf();

  /** null, Double or String. */
  Object priority();

  /** This node with another priority; an empty node stays empty (Firebase ignores priorities on empty nodes). */
  Node withPriority(Object priority);

  /** The direct child, or empty. Leaves have no children; {@code .priority} yields the priority as a leaf. */
  Node child(String key);

  int childCount();

  /** Visits the children in key order. */
  void forEachChild(BiConsumer<String, Node> visitor);

  /** The node at a relative path, or empty. */
  default Node get(Path path) {
    Node n = this;
    for (String key : path) {
      n = n.child(key);
      if (n.isEmpty()) {
        return n;
      }
    }
    return n;
  }

  /** A copy with the direct child replaced (removed when {@code value} is empty). */
  Node withChild(String key, Node value);

  /**
   * A copy with the subtree at {@code path} replaced by {@code value}, Firebase's way: writing an empty node
   * removes the subtree and ancestors left without children vanish; writing below a leaf turns it into an
   * object that keeps the leaf's priority; a path ending in {@code .priority} sets only the priority (nothing
   * happens on an empty node).
   */
  default Node set(Path path, Node value) {
    if (path.isRoot()) {
      return value;
    }
    String front = path.front();
    if (Path.PRIORITY_KEY.equals(front)) {
      return withPriority(PriorityValues.fromNode(value));
    }
    Node child = child(front);
    Node newChild = child.set(path.popFront(), value);
    return withChild(front, newChild);
  }
}
