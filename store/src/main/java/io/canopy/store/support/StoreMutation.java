package io.canopy.store.support;

import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;

/**
 * One record-level change of a flush, as {@link FlushPlanner} computes it. Every mutation is absolute (it does
 * not depend on the state it is applied to), so applying a plan again, in whole or from any prefix, converges.
 */
public sealed interface StoreMutation {
  Path path();

  /**
   * Replace the subtree at {@code path} by {@code value}: remove the records below {@code path} (when
   * {@code clearDescendants}), then write one record per node of {@code value}, or remove the record at
   * {@code path} when {@code value} is empty.
   */
  record ReplaceSubtree(Path path, Node value, boolean clearDescendants) implements StoreMutation {}

  /** Write an object record (no value) with {@code priority} at {@code path}, replacing a leaf or nothing. */
  record PutObject(Path path, Object priority) implements StoreMutation {}

  /** Remove the single record at {@code path} (an ancestor left without children). */
  record DeleteNode(Path path) implements StoreMutation {}
}
