package io.canopy.core.ops;

import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.List;

/** Read access to one namespace's tree, as the op-tree needs it. Implemented over a store, or over a node. */
public interface TreeReader {
  Node read(Path path);

  boolean exists(Path path);

  /** Child keys of the node at {@code path}; at most {@code limit} when {@code limit > 0}. */
  List<String> childKeys(Path path, int limit);

  /** A reader over an in-memory tree. */
  static TreeReader of(Node root) {
    return new TreeReader() {
      @Override
      public Node read(Path path) {
        return root.get(path);
      }

      @Override
      public boolean exists(Path path) {
        return !root.get(path).isEmpty();
      }

      @Override
      public List<String> childKeys(Path path, int limit) {
        List<String> keys = new java.util.ArrayList<>();
        root.get(path).forEachChild((k, v) -> {
          if (limit <= 0 || keys.size() < limit) {
            keys.add(k);
          }
        });
        return keys;
      }
    };
  }
}
