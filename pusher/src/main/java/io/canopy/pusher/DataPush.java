package io.canopy.pusher;

import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;

/**
 * One data update for a connection, in the shape of the v5 protocol's {@code d}/{@code m} pushes: an overwrite
 * of {@code data} at {@code path}, or (when {@code merge}) a merge whose {@code data} children are paths relative
 * to {@code path}, keyed by their first segment only when single-level. The gateway formats it; the pusher only
 * computes it.
 *
 * @param tag the listener's tag for query (tagged) listens; null for default listens
 * @param mergeChildren for merges: relative path (as "a/b") to value; null for overwrites
 */
public record DataPush(String namespace, Path path, Node data, java.util.Map<String, Node> mergeChildren, Long tag) {
  public static DataPush overwrite(String namespace, Path path, Node data, Long tag) {
    return new DataPush(namespace, path, data, null, tag);
  }

  public static DataPush merge(String namespace, Path path, java.util.Map<String, Node> children, Long tag) {
    return new DataPush(namespace, path, null, java.util.Map.copyOf(children), tag);
  }

  public boolean isMerge() {
    return mergeChildren != null;
  }
}
