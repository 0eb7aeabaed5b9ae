package io.canopy.gateway.ws;

import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One connection's on-disconnect writes ({@code o}, {@code om}), in the order they were queued, to be produced as
 * ordinary writes when the connection closes.
 *
 * <p>{@link #cancel} ({@code oc}) removes every queued write at the path or below it. A queued write above the path
 * keeps its effect outside it, the way the SDKs' own bookkeeping (a sparse snapshot tree) does: a set of an object
 * that has something at the cancelled path becomes an update of its other children (so at disconnect the siblings
 * are written, not replaced, and the object's own priority is not), and an update loses its entries at or below
 * the path. A leaf, or an object with nothing at the path, is left as it is. Not thread-safe: used on the
 * connection's event loop.
 */
final class OnDisconnectQueue {
  private final List<WriteOp> ops = new ArrayList<>();

  void add(WriteOp op) {
    ops.add(op);
  }

  /** Cancels what is queued at {@code at} and below. */
  void cancel(Path at) {
    List<WriteOp> kept = new ArrayList<>(ops.size());
    for (WriteOp op : ops) {
      WriteOp rest = without(op, at);
      if (rest != null) {
        kept.add(rest);
      }
    }
    ops.clear();
    ops.addAll(kept);
  }

  /** The queued writes in order (a copy). */
  List<WriteOp> ops() {
    return List.copyOf(ops);
  }

  /** Takes every queued write, in order, leaving the queue empty. */
  List<WriteOp> drain() {
    List<WriteOp> all = List.copyOf(ops);
    ops.clear();
    return all;
  }

  boolean isEmpty() {
    return ops.isEmpty();
  }

  /** {@code op} without its part at {@code at} and below; null if nothing is left. */
  private static WriteOp without(WriteOp op, Path at) {
    Path base = op.path();
    if (at.contains(base)) {
      return null;
    }
    if (!base.contains(at)) {
      return op;
    }
    if (op instanceof WriteOp.Set set) {
      Map<Path, Node> rest = without(set.data(), base.relativize(at));
      if (rest == null) {
        return op;
      }
      return rest.isEmpty() ? null : new WriteOp.Merge(base, rest);
    }
    WriteOp.Merge merge = (WriteOp.Merge) op;
    Map<Path, Node> rest = new LinkedHashMap<>();
    merge.children().forEach((rel, value) -> {
      Path target = base.child(rel);
      if (at.contains(target)) {
        return;
      }
      Map<Path, Node> parts = target.contains(at) ? without(value, target.relativize(at)) : null;
      if (parts == null) {
        rest.put(rel, value);
      } else {
        parts.forEach((k, v) -> rest.put(rel.child(k), v));
      }
    });
    return rest.isEmpty() ? null : new WriteOp.Merge(base, rest);
  }

  /**
   * {@code data} without the subtree at {@code rel} (non-empty), as sets of its remaining children relative to
   * {@code data}'s path; null if {@code data} has nothing at {@code rel} (then it stays as it is).
   */
  private static Map<Path, Node> without(Node data, Path rel) {
    if (rel.isRoot() || data.isLeaf() || data.get(rel).isEmpty()) {
      return null;
    }
    String front = rel.front();
    Map<Path, Node> rest = new LinkedHashMap<>();
    data.forEachChild((key, child) -> {
      if (!key.equals(front)) {
        rest.put(Path.of(key), child);
      }
    });
    if (rel.size() > 1) {
      Node child = data.child(front);
      Map<Path, Node> deeper = without(child, rel.popFront());
      if (deeper == null) {
        rest.put(Path.of(front), child);
      } else {
        deeper.forEach((k, v) -> rest.put(Path.of(front).child(k), v));
      }
    }
    return rest;
  }
}
