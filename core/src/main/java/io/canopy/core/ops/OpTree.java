package io.canopy.core.ops;

import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Nagle buffer: resolved overwrites of many namespaces composed into the fewest equivalent store writes
 * (per namespace, pending entries never contain one another; a burst of writes to one hot path is one entry).
 * Reads through the buffer see the base tree with every pending overwrite applied. Not thread-safe: one
 * partition owner uses it. No timers here: when to flush is the processor's decision.
 */
public final class OpTree {
  private final Function<String, TreeReader> baseReaders;
  private final Map<String, NamespaceOpTree> namespaces = new LinkedHashMap<>();
  private int opCount;

  /** @param baseReaders the unbuffered tree of each namespace (the store) */
  public OpTree(Function<String, TreeReader> baseReaders) {
    this.baseReaders = baseReaders;
  }

  /** Adds one resolved overwrite of {@code namespace}, composing it with what is pending. */
  public void add(String namespace, Overwrite overwrite) {
    namespaces.computeIfAbsent(namespace, ns -> new NamespaceOpTree(baseReaders.apply(ns))).add(overwrite);
    opCount++;
  }

  /** The current value at {@code path}: the base tree with the pending overwrites applied. */
  public Node read(String namespace, Path path) {
    NamespaceOpTree t = namespaces.get(namespace);
    return t == null ? baseReaders.apply(namespace).read(path) : t.read(path);
  }

  /** A reader of the current state of {@code namespace}. */
  public TreeReader reader(String namespace) {
    return new TreeReader() {
      @Override
      public Node read(Path path) {
        return OpTree.this.read(namespace, path);
      }

      @Override
      public boolean exists(Path path) {
        NamespaceOpTree t = namespaces.get(namespace);
        return t == null ? baseReaders.apply(namespace).exists(path) : t.exists(path);
      }

      @Override
      public List<String> childKeys(Path path, int limit) {
        NamespaceOpTree t = namespaces.get(namespace);
        if (t == null) {
          return baseReaders.apply(namespace).childKeys(path, limit);
        }
        return TreeReader.of(t.read(path)).childKeys(Path.ROOT, limit);
      }
    };
  }

  /** Overwrites added since the last {@link #clear}. */
  public int opCount() {
    return opCount;
  }

  /** Pending entries after composition: the store writes a flush will make. */
  public int entryCount() {
    return namespaces.values().stream().mapToInt(NamespaceOpTree::size).sum();
  }

  public boolean isEmpty() {
    return opCount == 0;
  }

  /** The composed overwrites per namespace, paths pairwise non-overlapping within a namespace. */
  public Map<String, List<Overwrite>> drain() {
    Map<String, List<Overwrite>> out = new LinkedHashMap<>();
    namespaces.forEach((ns, t) -> {
      if (!t.isEmpty()) {
        out.put(ns, t.overwrites());
      }
    });
    return out;
  }

  /** Forgets everything pending (after a flush made it durable, or when ownership is lost). */
  public void clear() {
    namespaces.clear();
    opCount = 0;
  }
}
