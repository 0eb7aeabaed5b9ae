package io.canopy.gateway.rest;

import io.canopy.core.ops.Overwrite;
import io.canopy.core.ops.ServerValues;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a successful write echoes: the data as written. Data without server values is echoed as the client sent
 * it; data with {@code {".sv": ...}} placeholders is echoed as the processor resolved it, taken from the verdict's
 * overwrites (a timestamp or an incremented counter, never the placeholder).
 */
public final class WriteEcho {
  private WriteEcho() {}

  /** The echo of a set of {@code data} at {@code path} (which may end in {@code .priority}). */
  public static Node ofSet(Path path, Node data, List<Overwrite> overwrites) {
    return ServerValues.containsServerValues(data) ? resolvedAt(path, overwrites) : data;
  }

  /** The echo of a multi-path update at {@code base}: each relative path with its value as written. */
  public static Map<Path, Node> ofUpdate(Path base, Map<Path, Node> children, List<Overwrite> overwrites) {
    Map<Path, Node> echo = new LinkedHashMap<>();
    children.forEach((rel, data) -> echo.put(rel, ofSet(base.child(rel), data, overwrites)));
    return echo;
  }

  /**
   * The value at {@code path} as far as the overwrites define it: an overwrite at or above the path gives its
   * part of the value, overwrites below the path are assembled into it. A {@code .priority} path yields the
   * node's priority.
   */
  static Node resolvedAt(Path path, List<Overwrite> overwrites) {
    boolean priority = path.isPriorityPath();
    Path node = priority ? path.parent() : path;
    Node value = Node.empty();
    for (Overwrite o : overwrites) {
      if (o.path().contains(node)) {
        value = o.value().get(o.path().relativize(node));
      } else if (node.contains(o.path())) {
        value = value.set(node.relativize(o.path()), o.value());
      }
    }
    return priority ? value.child(Path.PRIORITY_KEY) : value;
  }
}
