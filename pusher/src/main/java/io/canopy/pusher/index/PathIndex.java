package io.canopy.pusher.index;

import io.canopy.core.path.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Values registered at paths, per namespace, in one trie per namespace (one trie node per key along the paths in
 * use). Finding the values that overlap a write path {@code W} walks down {@code W} (the values at {@code W} and
 * its ancestors) and then the subtree below {@code W} (the values below it): O(depth of W + trie nodes below W),
 * and every trie node exists only because some value lies at or below it, so that is O(depth + matches × depth)
 * at worst and never a scan of unrelated paths. Empty trie nodes are pruned on removal.
 *
 * <p>Not thread-safe: the pusher uses it from its feed thread only.
 *
 * @param <V> what is registered (compared by {@code equals} on removal)
 */
public final class PathIndex<V> {
  private final Map<String, TrieNode<V>> roots = new HashMap<>();
  private int size;

  private static final class TrieNode<V> {
    final TrieNode<V> parent;
    final String key;
    Map<String, TrieNode<V>> children;
    List<V> values;

    TrieNode(TrieNode<V> parent, String key) {
      this.parent = parent;
      this.key = key;
    }

    boolean isUnused() {
      return (values == null || values.isEmpty()) && (children == null || children.isEmpty());
    }
  }

  /** Registers {@code value} at {@code path} (a value may be registered several times; each counts). */
  public void add(String namespace, Path path, V value) {
    TrieNode<V> node = roots.computeIfAbsent(namespace, ns -> new TrieNode<>(null, null));
    for (String key : path) {
      if (node.children == null) {
        node.children = new HashMap<>(4);
      }
      TrieNode<V> parent = node;
      node = node.children.computeIfAbsent(key, k -> new TrieNode<>(parent, k));
    }
    if (node.values == null) {
      node.values = new ArrayList<>(2);
    }
    node.values.add(value);
    size++;
  }

  /** Removes one registration of {@code value} at {@code path}; returns whether there was one. */
  public boolean remove(String namespace, Path path, V value) {
    TrieNode<V> root = roots.get(namespace);
    TrieNode<V> node = find(root, path);
    if (node == null || node.values == null || !node.values.remove(value)) {
      return false;
    }
    size--;
    // prune nodes that no longer lead to any value
    while (node.parent != null && node.isUnused()) {
      node.parent.children.remove(node.key);
      node = node.parent;
    }
    if (node.parent == null && node.isUnused()) {
      roots.remove(namespace);
    }
    return true;
  }

  /** The number of registrations. */
  public int size() {
    return size;
  }

  /** The values registered exactly at {@code path}. */
  public List<V> at(String namespace, Path path) {
    TrieNode<V> node = find(roots.get(namespace), path);
    return node == null || node.values == null ? List.of() : List.copyOf(node.values);
  }

  /**
   * Visits every value whose path overlaps {@code path}: first those at the root down to {@code path} itself
   * (ancestors before descendants), then those strictly below it (depth first).
   */
  public void forEachOverlapping(String namespace, Path path, Consumer<? super V> visitor) {
    TrieNode<V> node = roots.get(namespace);
    if (node == null) {
      return;
    }
    visitValues(node, visitor);
    for (String key : path) {
      node = node.children == null ? null : node.children.get(key);
      if (node == null) {
        return;
      }
      visitValues(node, visitor);
    }
    visitBelow(node, visitor);
  }

  /** Visits the values at {@code path} and at its ancestors, deepest first. */
  public void forEachAncestorOrSelf(String namespace, Path path, Consumer<? super V> visitor) {
    TrieNode<V> node = roots.get(namespace);
    if (node == null) {
      return;
    }
    TrieNode<V> deepest = node;
    for (String key : path) {
      TrieNode<V> next = deepest.children == null ? null : deepest.children.get(key);
      if (next == null) {
        break;
      }
      deepest = next;
    }
    for (TrieNode<V> n = deepest; n != null; n = n.parent) {
      visitValues(n, visitor);
    }
  }

  /** The deepest value at {@code path} or above it that passes {@code filter}, or null. */
  public V nearestAncestorOrSelf(String namespace, Path path, Predicate<? super V> filter) {
    Object[] found = new Object[1];
    forEachAncestorOrSelf(namespace, path, v -> {
      if (found[0] == null && filter.test(v)) {
        found[0] = v;
      }
    });
    @SuppressWarnings("unchecked")
    V v = (V) found[0];
    return v;
  }

  private static <V> TrieNode<V> find(TrieNode<V> node, Path path) {
    if (node == null) {
      return null;
    }
    for (String key : path) {
      node = node.children == null ? null : node.children.get(key);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  private static <V> void visitValues(TrieNode<V> node, Consumer<? super V> visitor) {
    List<V> values = node.values;
    if (values != null) {
      for (int i = 0, n = values.size(); i < n; i++) {
        visitor.accept(values.get(i));
      }
    }
  }

  private static <V> void visitBelow(TrieNode<V> node, Consumer<? super V> visitor) {
    if (node.children == null) {
      return;
    }
    for (TrieNode<V> child : node.children.values()) {
      visitValues(child, visitor);
      visitBelow(child, visitor);
    }
  }
}
