package io.canopy.core.ops;

import io.canopy.core.tree.Node;
import java.util.Collection;

/** Batch semantics shared by the op-tree, the stores and their tests. */
public final class Overwrites {
  private Overwrites() {}

  /**
   * Applies a batch of non-overlapping overwrites as one step: every subtree is replaced and ancestors left
   * without children vanish only when the whole batch is in (so an ancestor that keeps children keeps its
   * priority). The op-tree normalises deletes so that this equals applying its input overwrites one by one. The
   * result does not depend on the order of {@code batch}.
   */
  public static Node applyBatch(Node root, Collection<Overwrite> batch) {
    Node n = root;
    for (Overwrite o : batch) {
      if (!o.value().isEmpty()) {
        n = o.applyTo(n);
      }
    }
    for (Overwrite o : batch) {
      if (o.value().isEmpty()) {
        n = o.applyTo(n);
      }
    }
    return n;
  }
}
