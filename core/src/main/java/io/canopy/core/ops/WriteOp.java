package io.canopy.core.ops;

import io.canopy.core.error.CanopyException;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client's write as it enters the log: unresolved (it may hold server values), addressed by path. A set may
 * target a {@code .priority} path (the setPriority API).
 */
public sealed interface WriteOp {
  Path path();

  /** Replace the subtree at {@code path} with {@code data} (empty deletes). */
  record Set(Path path, Node data) implements WriteOp {
    public Set {
      Limits.checkWrite(path, data);
    }
  }

  /**
   * Multi-location update: each relative path gets its value, atomically. Relative paths are non-empty and no
   * one is an ancestor of another. An empty update is allowed and changes nothing.
   */
  record Merge(Path path, Map<Path, Node> children) implements WriteOp {
    public Merge {
      List<Path> keys = new ArrayList<>(children.keySet());
      for (Path rel : keys) {
        if (rel.isRoot()) {
          throw CanopyException.invalidData("Invalid update: keys must be non-empty paths");
        }
        if (rel.isPriorityPath() && rel.size() > 1 && keys.contains(rel.parent())) {
          continue; // a/.priority beside a: applied after a
        }
        Limits.checkWrite(path.child(stripPriority(rel)), children.get(rel));
      }
      Collections.sort(keys);
      for (int i = 1; i < keys.size(); i++) {
        Path prev = keys.get(i - 1);
        Path cur = keys.get(i);
        if (prev.contains(cur) && !cur.isPriorityPath()) {
          throw CanopyException.invalidData(
              "Invalid update: path " + prev + " is an ancestor of another path " + cur);
        }
      }
      children = Collections.unmodifiableMap(new LinkedHashMap<>(children));
    }
  }

  private static Path stripPriority(Path rel) {
    return rel.isPriorityPath() ? rel.parent() : rel;
  }
}
