package io.canopy.sdk.internal.sync;

import io.canopy.core.path.Path;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.Node;
import io.canopy.core.tree.PriorityValues;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pending (unacknowledged) local writes, in order, and their combined effect: what a listener sees is the
 * server's data with these writes applied on top. The writes are folded into a trie of overwrites (a later write
 * replaces what lies below it; a write below an earlier overwrite is folded into that overwrite's value), so applying
 * all of them to a location costs one walk down the trie plus one sorted merge per touched object, whatever the number
 * of writes. Removing a write rebuilds the trie lazily. Not thread-safe (event thread).
 *
 * <p>One approximation: a priority write ({@code x/.priority}) is applied after the writes below {@code x}, so a
 * priority set while {@code x} was still empty (a no-op for the server) shows until the server's echo corrects it.
 */
public final class WriteTree {
  private static final int BUILDER_THRESHOLD = 8;

  private static final class TrieNode {
    /** A full overwrite of this location (may be the empty node, a removal); null if none. */
    Node value;
    Map<String, TrieNode> children;
  }

  private final Map<Long, PendingWrite> writes = new LinkedHashMap<>();
  private TrieNode root = new TrieNode();
  private boolean dirty;

  /** Adds a write after all current ones. */
  public void add(PendingWrite w) {
    writes.put(w.id(), w);
    if (!dirty) {
      insert(w);
    }
  }

  /** Removes a write (acknowledged, refused or reverted); returns it, or null if unknown. */
  public PendingWrite remove(long id) {
    PendingWrite w = writes.remove(id);
    if (w != null) {
      dirty = true;
    }
    return w;
  }

  public boolean isEmpty() {
    return writes.isEmpty();
  }

  public int size() {
    return writes.size();
  }

  private TrieNode trie() {
    if (dirty) {
      root = new TrieNode();
      dirty = false;
      for (PendingWrite w : writes.values()) {
        insert(w);
      }
    }
    return root;
  }

  private void insert(PendingWrite w) {
    if (w.overwrite() != null) {
      insert(w.path(), w.overwrite());
    } else {
      for (Map.Entry<Path, Node> e : w.merge().entrySet()) {
        insert(w.path().child(e.getKey()), e.getValue());
      }
    }
  }

  private void insert(Path path, Node node) {
    TrieNode t = root;
    Path rest = path;
    while (!rest.isRoot()) {
      if (t.value != null) {
        t.value = t.value.set(rest, node);
        return;
      }
      if (t.children == null) {
        t.children = new HashMap<>();
      }
      t = t.children.computeIfAbsent(rest.front(), k -> new TrieNode());
      rest = rest.popFront();
    }
    t.value = node;
    t.children = null;
  }

  /** True if some pending write replaces the whole value at {@code path} (it is at or above it). */
  public boolean covers(Path path) {
    TrieNode t = trie();
    Path rest = path;
    while (true) {
      if (t.value != null) {
        return true;
      }
      if (rest.isRoot() || t.children == null) {
        return false;
      }
      t = t.children.get(rest.front());
      if (t == null) {
        return false;
      }
      rest = rest.popFront();
    }
  }

  /** The value at {@code path} once the pending writes are applied to {@code base}, the server's value there. */
  public Node apply(Path path, Node base) {
    if (writes.isEmpty()) {
      return base;
    }
    TrieNode t = trie();
    Path rest = path;
    while (!rest.isRoot()) {
      if (t.value != null) {
        return t.value.get(rest);
      }
      if (t.children == null) {
        return base;
      }
      t = t.children.get(rest.front());
      if (t == null) {
        return base;
      }
      rest = rest.popFront();
    }
    return apply(base, t);
  }

  private static Node apply(Node base, TrieNode t) {
    if (t.value != null) {
      return t.value;
    }
    if (t.children == null || t.children.isEmpty()) {
      return base;
    }
    Node result = base;
    TrieNode priority = null;
    if (t.children.size() <= BUILDER_THRESHOLD || !(base instanceof ChildrenNode)) {
      for (Map.Entry<String, TrieNode> e : t.children.entrySet()) {
        if (Path.PRIORITY_KEY.equals(e.getKey())) {
          priority = e.getValue();
          continue;
        }
        result = result.withChild(e.getKey(), apply(base.child(e.getKey()), e.getValue()));
      }
    } else {
      ChildrenNode.Builder b = ChildrenNode.builder();
      base.forEachChild(b::put);
      for (Map.Entry<String, TrieNode> e : t.children.entrySet()) {
        if (Path.PRIORITY_KEY.equals(e.getKey())) {
          priority = e.getValue();
          continue;
        }
        b.put(e.getKey(), apply(base.child(e.getKey()), e.getValue()));
      }
      result = b.build().withPriority(base.priority());
    }
    if (priority != null) {
      Node p = apply(base.child(Path.PRIORITY_KEY), priority);
      result = result.withPriority(PriorityValues.fromNode(p));
    }
    return result;
  }
}
