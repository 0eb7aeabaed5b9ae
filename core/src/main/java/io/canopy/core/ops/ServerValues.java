package io.canopy.core.ops;

import io.canopy.core.path.Path;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.core.tree.ServerValue;
import java.util.function.Function;

/** Replaces server-value placeholders with their values at the time a write is applied. */
public final class ServerValues {
  private ServerValues() {}

  /**
   * Resolves every placeholder in {@code data}.
   *
   * @param now the server time of the write (the log record's timestamp, so replays resolve the same way)
   * @param current the current value at a path relative to where {@code data} is written (for increments)
   */
  public static Node resolve(Node data, long now, Function<Path, Node> current) {
    return resolve(data, Path.ROOT, now, current);
  }

  private static Node resolve(Node n, Path rel, long now, Function<Path, Node> current) {
    if (n.isEmpty()) {
      return n;
    }
    Object priority = n.priority();
    Object resolvedPriority = priority instanceof ServerValue sv ? resolveValue(sv, rel, now, current) : priority;
    if (n instanceof LeafNode leaf) {
      Object v = leaf.value() instanceof ServerValue sv ? resolveValue(sv, rel, now, current) : leaf.value();
      return v == leaf.value() && resolvedPriority == priority ? n : LeafNode.of(v, resolvedPriority);
    }
    ChildrenNode obj = (ChildrenNode) n;
    Node out = n;
    for (int i = 0; i < obj.childCount(); i++) {
      Node child = obj.childAt(i);
      Node resolved = resolve(child, rel.child(obj.keyAt(i)), now, current);
      if (resolved != child) {
        out = out.withChild(obj.keyAt(i), resolved);
      }
    }
    return resolvedPriority == priority ? out : out.withPriority(resolvedPriority);
  }

  private static Object resolveValue(ServerValue sv, Path rel, long now, Function<Path, Node> current) {
    if (sv instanceof ServerValue.Increment inc) {
      Node existing = current.apply(rel);
      if (existing instanceof LeafNode l && l.value() instanceof Double d) {
        return d + inc.delta();
      }
      return inc.delta();
    }
    return (double) now;
  }

  /** True if {@code n} holds a placeholder anywhere. */
  public static boolean containsServerValues(Node n) {
    if (n.priority() instanceof ServerValue) {
      return true;
    }
    if (n instanceof LeafNode leaf) {
      return leaf.value() instanceof ServerValue;
    }
    boolean[] found = {false};
    n.forEachChild((k, c) -> found[0] |= containsServerValues(c));
    return found[0];
  }
}
