package io.canopy.store.support;

import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.Node;
import java.util.HashMap;
import java.util.Map;

/**
 * Rebuilds a subtree from its stored records, given in any order, each with its keys relative to the subtree's
 * top. Tolerant of the transient states a non-atomic store may show while a flush is being applied: a node with
 * children is an object whatever its own record says (keeping the record's priority), a node whose record is
 * missing but which has children is an object, and an object without children is absent.
 *
 * <p>Costs one hash lookup per key of each record's relative path, and memory for the records until
 * {@link #build}. Not thread-safe; use one per read.
 */
public final class TreeAssembler {
  private final Slot top = new Slot();

  /** Adds the record of the node at {@code relativeKeys} below the subtree's top (empty for the top itself). */
  public void add(Iterable<String> relativeKeys, NodeRecord record) {
    Slot slot = top;
    for (String key : relativeKeys) {
      slot = slot.child(key);
    }
    slot.record = record;
  }

  /** The subtree; empty if no record made a node. */
  public Node build() {
    return top.build();
  }

  private static final class Slot {
    NodeRecord record;
    Map<String, Slot> children;

    Slot child(String key) {
      if (children == null) {
        children = new HashMap<>();
      }
      return children.computeIfAbsent(key, k -> new Slot());
    }

    Node build() {
      if (children != null) {
        ChildrenNode.Builder b = ChildrenNode.builder();
        for (Map.Entry<String, Slot> e : children.entrySet()) {
          b.put(e.getKey(), e.getValue().build());
        }
        Node object = b.build();
        if (!object.isEmpty()) {
          return record == null ? object : object.withPriority(record.priority());
        }
      }
      return record != null && record.isLeaf() ? record.toLeaf() : Node.empty();
    }
  }
}
