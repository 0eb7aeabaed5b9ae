package io.canopy.store.support;

import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.core.tree.ServerValue;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * What a store keeps for one node of the tree: a leaf's value and priority, or an object's existence and
 * priority (its children are records of their own).
 *
 * @param value the leaf value (String, Boolean or Double), or null for an object
 * @param priority null, a Double or a String
 */
public record NodeRecord(Object value, Object priority) {
  public NodeRecord {
    if (value != null && !(value instanceof String || value instanceof Boolean || value instanceof Double)) {
      throw new IllegalArgumentException("a stored leaf value is a String, Boolean or Double, not "
          + (value instanceof ServerValue ? "an unresolved server value" : value.getClass().getName()));
    }
    if (priority != null && !(priority instanceof String || priority instanceof Double)) {
      throw new IllegalArgumentException("a stored priority is a String or Double, not "
          + (priority instanceof ServerValue ? "an unresolved server value" : priority.getClass().getName()));
    }
  }

  public static NodeRecord object(Object priority) {
    return new NodeRecord(null, priority);
  }

  public static NodeRecord leaf(Object value, Object priority) {
    return new NodeRecord(Objects.requireNonNull(value, "value"), priority);
  }

  public boolean isLeaf() {
    return value != null;
  }

  public boolean isObject() {
    return value == null;
  }

  /** The leaf node this record stands for; only for leaf records. */
  public Node toLeaf() {
    if (value == null) {
      throw new IllegalStateException("not a leaf record");
    }
    return LeafNode.of(value, priority);
  }

  /** The record of the top node of {@code node}, which must not be empty. */
  public static NodeRecord of(Node node) {
    if (node.isEmpty()) {
      throw new IllegalArgumentException("an empty node has no record");
    }
    return node instanceof LeafNode leaf ? leaf(leaf.value(), leaf.priority()) : object(node.priority());
  }

  /**
   * Visits the record of every node of {@code node} (which must not be empty), parents before children. Keys are
   * built with {@code childKey} from {@code key}, so each store walks with its own key representation.
   */
  public static <K> void walk(Node node, K key, BiFunction<K, String, K> childKey, BiConsumer<K, NodeRecord> sink) {
    sink.accept(key, of(node));
    node.forEachChild((name, child) -> walk(child, childKey.apply(key, name), childKey, sink));
  }
}
