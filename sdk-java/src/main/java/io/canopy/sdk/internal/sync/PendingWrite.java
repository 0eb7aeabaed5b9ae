package io.canopy.sdk.internal.sync;

import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.Map;

/**
 * A local write the server has not acknowledged yet, as shown to listeners (server values resolved locally).
 *
 * @param id increasing in write order
 * @param path where it was written
 * @param overwrite the new value for a set, or null for a merge
 * @param merge for a merge: relative paths to new values; null for a set
 */
public record PendingWrite(long id, Path path, Node overwrite, Map<Path, Node> merge) {
  /** True if the write touches {@code other} (or something above or below it). */
  public boolean overlaps(Path other) {
    if (overwrite != null) {
      return path.overlaps(other);
    }
    if (!path.overlaps(other)) {
      return false;
    }
    for (Path rel : merge.keySet()) {
      if (withoutPriority(path.child(rel)).overlaps(other)) {
        return true;
      }
    }
    return false;
  }

  static Path withoutPriority(Path p) {
    return p.isPriorityPath() ? p.parent() : p;
  }
}
