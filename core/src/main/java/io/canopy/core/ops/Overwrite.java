package io.canopy.core.ops;

import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.Objects;

/**
 * A resolved, absolute mutation: replace the subtree at {@code path} with {@code value} (an empty value deletes).
 * Applying it twice gives the same tree as applying it once, which is what makes flushes and replays safe.
 * Values never contain server-value placeholders.
 */
public record Overwrite(Path path, Node value) {
  public Overwrite {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(value, "value");
    if (path.isPriorityPath()) {
      throw new IllegalArgumentException("an overwrite targets a node, not its .priority: " + path);
    }
  }

  /** The tree after this overwrite, by Firebase's rules (see {@link Node#set}). */
  public Node applyTo(Node root) {
    return root.set(path, value);
  }
}
