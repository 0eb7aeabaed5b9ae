package io.canopy.pusher.view;

import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import io.canopy.pusher.DataPush;
import java.util.List;

/**
 * The maintained value of one (namespace, path, query) and the pushes that keep its listeners in sync. A view
 * computes each push once, untagged; the caller adds a listener's tag. Not thread-safe: one thread (the pusher's
 * feed thread) owns a view.
 */
public abstract sealed class View permits DefaultView, QueryResultView {
  private final ViewKey key;

  View(ViewKey key) {
    this.key = key;
  }

  /** A view of {@code key} whose path currently holds {@code nodeAtPath}. */
  public static View create(ViewKey key, Node nodeAtPath) {
    return key.isDefault() ? new DefaultView(key, nodeAtPath) : new QueryResultView(key, nodeAtPath);
  }

  public final ViewKey key() {
    return key;
  }

  public final Path path() {
    return key.path();
  }

  /** The whole node at the view's path (for a query view: before filtering). */
  public abstract Node node();

  /** What a listener holds: the node at the path, or the query result. */
  public abstract Node value();

  /** A fresh, untagged overwrite of the whole value (the initial data of a listen, or a resync). */
  public final DataPush snapshot() {
    return DataPush.overwrite(key.namespace(), key.path(), value(), null);
  }

  /**
   * Applies the overwrites of one change that overlap the view's path, in log order, and returns the untagged
   * pushes that bring a listener from the old value to the new one, in order; empty when the value did not
   * change. Overwrites that do not overlap the path are ignored.
   */
  public abstract List<DataPush> apply(List<Overwrite> overwrites);

  /** The node at {@code path} after {@code overwrites}; {@code changedBelow} collects relative paths strictly below. */
  static Node applyToNode(Path path, Node node, List<Overwrite> overwrites, List<Path> changedBelow) {
    Node n = node;
    for (int i = 0, size = overwrites.size(); i < size; i++) {
      Overwrite o = overwrites.get(i);
      if (o.path().contains(path)) {
        n = o.value().get(o.path().relativize(path));
        changedBelow.clear(); // the whole value was replaced: earlier paths below are subsumed
        changedBelow.add(Path.ROOT);
      } else if (path.contains(o.path())) {
        Path rel = path.relativize(o.path());
        n = n.set(rel, o.value());
        changedBelow.add(rel);
      }
    }
    return n;
  }
}
