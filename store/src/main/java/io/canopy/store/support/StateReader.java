package io.canopy.store.support;

import io.canopy.core.path.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** The reads {@link FlushPlanner} needs, answered by a store from the state the flush starts from. */
public interface StateReader {
  /** The records stored at {@code paths}; absent paths are left out of the map. Called once per plan. */
  Map<Path, NodeRecord> records(Collection<Path> paths);

  /**
   * Whether a record lies strictly below {@code path}. A store may answer true without looking when removing an
   * empty range costs less than the read.
   */
  boolean hasDescendants(Path path);

  /** Whether the node at {@code parent} has a stored child whose key is not in {@code excludedKeys}. */
  boolean hasChildOtherThan(Path parent, Set<String> excludedKeys);
}
