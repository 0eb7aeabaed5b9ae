package io.canopy.pusher.view;

import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import io.canopy.pusher.DataPush;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A default listen's view: the node at its path L. For a change it pushes (PROTOCOL §3.3):
 *
 * <ul>
 *   <li>a write at or above L: one {@code d} at L with L's new value (never data outside L);
 *   <li>one write inside L: a {@code d} at that path with its new value;
 *   <li>several writes inside L (a multi-path update): one {@code m} at their deepest common ancestor, keyed by
 *       the paths relative to it, with each path's final value (so their order no longer matters).
 * </ul>
 *
 * Paths whose value did not change are left out; nothing is pushed when L's value did not change.
 */
public final class DefaultView extends View {
  private Node node;

  DefaultView(ViewKey key, Node node) {
    super(key);
    this.node = node;
  }

  @Override
  public Node node() {
    return node;
  }

  @Override
  public Node value() {
    return node;
  }

  @Override
  public List<DataPush> apply(List<Overwrite> overwrites) {
    List<Path> changed = new ArrayList<>(Math.min(overwrites.size(), 8));
    Node old = node;
    Node neu = applyToNode(path(), old, overwrites, changed);
    if (changed.isEmpty() || neu == old || neu.equals(old)) {
      node = neu;
      return List.of();
    }
    node = neu;
    String ns = key().namespace();
    if (changed.get(0).isRoot()) {
      return List.of(DataPush.overwrite(ns, path(), neu, null));
    }
    List<Path> paths = minimalChanged(changed, old, neu);
    if (paths.isEmpty()) {
      return List.of();
    }
    if (paths.size() == 1) {
      Path rel = paths.get(0);
      return List.of(DataPush.overwrite(ns, path().child(rel), neu.get(rel), null));
    }
    Path common = commonAncestor(paths);
    Map<String, Node> children = new LinkedHashMap<>();
    for (Path rel : paths) {
      children.put(common.relativize(rel).toRelativeString(), neu.get(rel));
    }
    return List.of(DataPush.merge(ns, path().child(common), children, null));
  }

  /**
   * The changed relative paths without duplicates, without paths inside another changed path, and without
   * paths whose value is the same before and after.
   */
  private static List<Path> minimalChanged(List<Path> changed, Node old, Node neu) {
    List<Path> out = new ArrayList<>(changed.size());
    outer:
    for (Path p : changed) {
      for (int i = 0; i < out.size(); i++) {
        Path q = out.get(i);
        if (q.contains(p)) {
          continue outer;
        }
        if (p.contains(q)) {
          out.remove(i--);
        }
      }
      out.add(p);
    }
    out.removeIf(p -> {
      Node a = old.get(p);
      Node b = neu.get(p);
      return a == b || a.equals(b);
    });
    return out;
  }

  private static Path commonAncestor(List<Path> paths) {
    Path first = paths.get(0);
    int n = first.size();
    for (int i = 1; i < paths.size(); i++) {
      Path p = paths.get(i);
      int k = 0;
      int max = Math.min(n, p.size());
      while (k < max && first.get(k).equals(p.get(k))) {
        k++;
      }
      n = k;
    }
    Path common = first;
    while (common.size() > n) {
      common = common.parent();
    }
    return common;
  }
}
