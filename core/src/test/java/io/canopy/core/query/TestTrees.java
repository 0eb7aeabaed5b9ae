package io.canopy.core.query;

import io.canopy.core.json.TreeJson;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for building trees in query tests. */
final class TestTrees {
  private TestTrees() {}

  static Node json(String json) {
    return TreeJson.parse(json.replace('\'', '"'));
  }

  static Node leaf(Object v) {
    return LeafNode.of(v);
  }

  static Node leaf(Object v, Object priority) {
    return LeafNode.of(v, priority);
  }

  static Node obj(Object... keyValues) {
    ChildrenNode.Builder b = ChildrenNode.builder();
    for (int i = 0; i < keyValues.length; i += 2) {
      Object v = keyValues[i + 1];
      b.put((String) keyValues[i], v instanceof Node n ? n : LeafNode.of(v));
    }
    return b.build();
  }

  static List<String> keys(Node n) {
    List<String> keys = new ArrayList<>();
    n.forEachChild((k, c) -> keys.add(k));
    return keys;
  }
}
