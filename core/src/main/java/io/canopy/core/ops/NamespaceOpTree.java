package io.canopy.core.ops;

import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pending overwrites of one namespace, composed so that no entry contains another. A later write at /a
 * replaces pending entries below /a; a write below a pending entry is folded into that entry's value.
 *
 * <p>Deletes are normalised when added: a delete that leaves ancestors without children is recorded at the
 * topmost ancestor that vanishes. With that, every vanishing (and the priority it loses) is explicit, and
 * applying the entries as one batch ({@link Overwrites#applyBatch}) to the base tree gives exactly the tree of
 * applying the original overwrites one by one. The base tree is only read (through {@link TreeReader}) to decide vanishing.
 */
final class NamespaceOpTree {
  /** Ordered so that a path's descendants directly follow it. */
  private final NavigableMap<Path, Node> entries = new TreeMap<>();
  private final TreeReader base;

  NamespaceOpTree(TreeReader base) {
    this.base = base;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  int size() {
    return entries.size();
  }

  List<Overwrite> overwrites() {
    List<Overwrite> out = new ArrayList<>(entries.size());
    entries.forEach((p, v) -> out.add(new Overwrite(p, v)));
    return out;
  }

  void add(Overwrite o) {
    Path path = o.path();
    Node value = o.value();
    if (value.isEmpty()) {
      if (!exists(path)) {
        return; // deleting nothing changes nothing
      }
      path = topmostVanishing(path);
    }
    Path owner = ancestorEntry(path);
    if (owner != null && !owner.equals(path)) {
      entries.put(owner, entries.get(owner).set(owner.relativize(path), value));
      return;
    }
    removeAtOrBelow(path);
    entries.put(path, value);
  }

  /** The deleted path widened to the highest ancestor that the delete leaves without children. */
  private Path topmostVanishing(Path deleted) {
    Path x = deleted;
    while (!x.isRoot() && !hasOtherChildren(x.parent(), x.last())) {
      x = x.parent();
    }
    return x;
  }

  /** The current value (base plus pending entries) at {@code path}. */
  Node read(Path path) {
    Path owner = ancestorEntry(path);
    if (owner != null) {
      return entries.get(owner).get(owner.relativize(path));
    }
    NavigableMap<Path, Node> below = below(path);
    if (below.isEmpty()) {
      return base.read(path);
    }
    List<Overwrite> relative = new ArrayList<>(below.size());
    below.forEach((p, v) -> relative.add(new Overwrite(path.relativize(p), v)));
    return Overwrites.applyBatch(base.read(path), relative);
  }

  boolean exists(Path path) {
    Path owner = ancestorEntry(path);
    if (owner != null) {
      return !entries.get(owner).get(owner.relativize(path)).isEmpty();
    }
    NavigableMap<Path, Node> below = below(path);
    if (below.isEmpty()) {
      return base.exists(path);
    }
    for (Node v : below.values()) {
      if (!v.isEmpty()) {
        return true;
      }
    }
    return !read(path).isEmpty(); // only deletes below: rare, so the full read is acceptable
  }

  /** Whether the node at {@code parent} has a child other than {@code key} in the current state. */
  private boolean hasOtherChildren(Path parent, String key) {
    Path owner = ancestorEntry(parent);
    if (owner != null) {
      Node p = entries.get(owner).get(owner.relativize(parent));
      int n = p.childCount();
      return n > (p.child(key).isEmpty() ? 0 : 1);
    }
    Set<String> pendingChildren = new HashSet<>();
    for (Path e : below(parent).keySet()) {
      String c = e.get(parent.size());
      if (pendingChildren.add(c) && !c.equals(key) && exists(parent.child(c))) {
        return true;
      }
    }
    for (String c : base.childKeys(parent, pendingChildren.size() + 2)) {
      if (!c.equals(key) && !pendingChildren.contains(c)) {
        return true;
      }
    }
    return false;
  }

  /** The pending entry at {@code path} or its nearest ancestor holding one, or null. */
  private Path ancestorEntry(Path path) {
    if (entries.isEmpty()) {
      return null;
    }
    Path p = path;
    while (p != null) {
      if (entries.containsKey(p)) {
        return p;
      }
      p = p.parent();
    }
    return null;
  }

  /** Pending entries strictly below {@code path}. */
  private NavigableMap<Path, Node> below(Path path) {
    NavigableMap<Path, Node> tail = entries.tailMap(path, false);
    Path end = null;
    for (Path p : tail.keySet()) {
      if (!path.contains(p)) {
        end = p;
        break;
      }
    }
    return end == null ? tail : tail.headMap(end, false);
  }

  private void removeAtOrBelow(Path path) {
    entries.remove(path);
    below(path).clear();
  }
}
