package io.canopy.store.support;

import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.Path;
import io.canopy.store.support.StoreMutation.DeleteNode;
import io.canopy.store.support.StoreMutation.PutObject;
import io.canopy.store.support.StoreMutation.ReplaceSubtree;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one namespace's overwrites into record mutations that leave the store in the state
 * {@link io.canopy.core.tree.Node#set} defines: each overwritten subtree replaced, missing or leaf ancestors
 * turned into objects (a leaf keeps its priority), and ancestors left without children removed.
 *
 * <p>The overwrites form a trie whose inner nodes are the ancestors. One {@link StateReader#records} call fetches
 * every ancestor's record; an overwrite costs one {@link StateReader#hasDescendants} call; an ancestor all of
 * whose overwritten children end up empty costs one {@link StateReader#hasChildOtherThan} call (the only way to
 * learn that it keeps other children without listing them). Everything else is computed in memory, so all reads
 * happen before the store writes anything.
 *
 * <p>The plan lists the subtree replacements first, then ancestor objects parents-first, then removals of emptied
 * ancestors children-first: a reader of a store that applies the plan step by step sees new data before its
 * ancestors are fixed, never ancestors removed before their children.
 */
public final class FlushPlanner {
  private final Trie root;

  private FlushPlanner(Trie root) {
    this.root = root;
  }

  /**
   * Prepares to plan {@code writes}, checking without any I/O that their paths are pairwise non-overlapping
   * ({@link IllegalArgumentException} otherwise). Stores prepare every namespace of a batch before reading any.
   */
  public static FlushPlanner of(List<Overwrite> writes) {
    return new FlushPlanner(writes.isEmpty() ? null : Trie.of(writes));
  }

  /** The mutations, reading the state they start from through {@code reader}. */
  public List<StoreMutation> plan(StateReader reader) {
    if (root == null) {
      return List.of();
    }
    List<Path> ancestors = new ArrayList<>();
    root.collectAncestors(ancestors);
    Map<Path, NodeRecord> current = ancestors.isEmpty() ? Map.of() : reader.records(ancestors);
    Plan plan = new Plan();
    root.evaluate(current, reader, plan);
    return plan.toList();
  }

  /** {@code of(writes).plan(reader)}. */
  public static List<StoreMutation> plan(List<Overwrite> writes, StateReader reader) {
    return of(writes).plan(reader);
  }

  private static final class Plan {
    final List<StoreMutation> replacements = new ArrayList<>();
    final List<StoreMutation> objectsChildrenFirst = new ArrayList<>();
    final List<StoreMutation> removalsChildrenFirst = new ArrayList<>();

    List<StoreMutation> toList() {
      List<StoreMutation> all = new ArrayList<>(
          replacements.size() + objectsChildrenFirst.size() + removalsChildrenFirst.size());
      all.addAll(replacements);
      List<StoreMutation> parentsFirst = new ArrayList<>(objectsChildrenFirst);
      Collections.reverse(parentsFirst);
      all.addAll(parentsFirst);
      all.addAll(removalsChildrenFirst);
      return all;
    }
  }

  /** A node of the overwrite trie: an overwrite (a leaf of the trie) or an ancestor of some. */
  private static final class Trie {
    final Path path;
    final Map<String, Trie> children = new LinkedHashMap<>();
    Overwrite write;

    Trie(Path path) {
      this.path = path;
    }

    static Trie of(List<Overwrite> writes) {
      Trie root = new Trie(Path.ROOT);
      for (Overwrite w : writes) {
        Trie t = root;
        for (String key : w.path()) {
          if (t.write != null) {
            throw overlap(t.write, w);
          }
          Trie parent = t;
          t = t.children.computeIfAbsent(key, k -> new Trie(parent.path.child(k)));
        }
        if (t.write != null) {
          throw overlap(t.write, w);
        }
        if (!t.children.isEmpty()) {
          throw overlap(w, t.firstWriteBelow());
        }
        t.write = w;
      }
      return root;
    }

    private Overwrite firstWriteBelow() {
      Trie t = this;
      while (t.write == null) {
        t = t.children.values().iterator().next();
      }
      return t.write;
    }

    private static IllegalArgumentException overlap(Overwrite a, Overwrite b) {
      return new IllegalArgumentException("overwrites of one flush must not overlap: " + a.path() + " and "
          + b.path() + (a.path().equals(b.path()) ? " are the same path" : " overlap"));
    }

    void collectAncestors(List<Path> out) {
      if (write == null) {
        out.add(path);
        for (Trie child : children.values()) {
          child.collectAncestors(out);
        }
      }
    }

    /** Adds this subtree's mutations to {@code plan}; returns whether the node exists afterwards. */
    boolean evaluate(Map<Path, NodeRecord> current, StateReader reader, Plan plan) {
      if (write != null) {
        plan.replacements.add(new ReplaceSubtree(path, write.value(), reader.hasDescendants(path)));
        return !write.value().isEmpty();
      }
      boolean anyChildExists = false;
      for (Trie child : children.values()) {
        anyChildExists |= child.evaluate(current, reader, plan);
      }
      NodeRecord now = current.get(path);
      if (anyChildExists) {
        if (now == null || now.isLeaf()) {
          plan.objectsChildrenFirst.add(new PutObject(path, now == null ? null : now.priority()));
        }
        return true;
      }
      if (now == null) {
        return false;
      }
      if (now.isLeaf()) {
        return true; // removals below a leaf change nothing
      }
      if (reader.hasChildOtherThan(path, children.keySet())) {
        return true;
      }
      plan.removalsChildrenFirst.add(new DeleteNode(path));
      return false;
    }
  }
}
