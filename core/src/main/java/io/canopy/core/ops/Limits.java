package io.canopy.core.ops;

import io.canopy.core.error.CanopyException;
import io.canopy.core.path.Path;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;

/** Firebase's limits on written data: total depth and string size. */
public final class Limits {
  /** Strings up to 10 MB (counted in UTF-16 units times up to 3 bytes, checked exactly only when close). */
  public static final int MAX_STRING_BYTES = 10 * 1024 * 1024;

  private Limits() {}

  /** Throws invalid_data if writing {@code data} at {@code path} would break a limit. */
  public static void checkWrite(Path path, Node data) {
    int base = path.isPriorityPath() ? path.size() - 1 : path.size();
    check(data, base, path);
  }

  private static void check(Node n, int depth, Path at) {
    if (n.isEmpty()) {
      return;
    }
    if (depth > Path.MAX_DEPTH) {
      throw CanopyException.invalidData(
          "Data at " + at + " is nested too deeply: paths may have at most " + Path.MAX_DEPTH + " keys");
    }
    if (n instanceof LeafNode leaf) {
      if (leaf.value() instanceof String s && s.length() > MAX_STRING_BYTES / 3
          && s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
        throw CanopyException.invalidData("String at " + at + " exceeds the maximum size of 10 MB");
      }
      return;
    }
    n.forEachChild((k, c) -> check(c, depth + 1, at));
  }
}
