package io.canopy.core.rules;

import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A tree the rules read lazily, one location at a time: the processor's view of a namespace is a store plus
 * pending writes, far too large to materialize for every write. Implementations return the subtree at a path
 * (empty if absent) and must be consistent for the duration of one evaluation.
 */
@FunctionalInterface
public interface TreeSource {

  /** The subtree at {@code path}; empty if absent. */
  Node read(Path path);

  /** A source over an in-memory tree. */
  static TreeSource of(Node root) {
    Objects.requireNonNull(root, "root");
    return root::get;
  }

  /**
   * This source with each location read at most once (rules often read the same location from several rules
   * of one evaluation). Not thread-safe: use one per evaluation.
   */
  default TreeSource memoized() {
    Map<Path, Node> seen = new HashMap<>();
    TreeSource self = this;
    return path -> {
      Node n = seen.get(path);
      if (n == null) {
        n = self.read(path);
        seen.put(path, n);
      }
      return n;
    };
  }
}
