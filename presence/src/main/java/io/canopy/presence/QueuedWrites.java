package io.canopy.presence;

import io.canopy.core.log.LogCodec;
import io.canopy.core.log.Origin;
import io.canopy.core.log.WriteRecord;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The semantics every {@link OnDisconnectStore} shares: cancelling part of a queue, and the stored form of one
 * queued write (a {@code canopy.writes} record, see {@link LogCodec}, with no origin and no expected hash).
 */
public final class QueuedWrites {
  private QueuedWrites() {}

  /**
   * {@code ops} without what is queued at {@code at} and below ({@code oc}). A queued write above the path keeps
   * its effect outside it, the way the SDKs' own bookkeeping (a sparse snapshot tree) does: a set of an object
   * that has something at the cancelled path becomes an update of its other children (so at disconnect the
   * siblings are written, not replaced, and the object's own priority is not), and an update loses its entries at
   * or below the path. A leaf, or an object with nothing at the path, is left as it is.
   */
  public static List<WriteOp> cancel(List<WriteOp> ops, Path at) {
    List<WriteOp> kept = new ArrayList<>(ops.size());
    for (WriteOp op : ops) {
      WriteOp rest = without(op, at);
      if (rest != null) {
        kept.add(rest);
      }
    }
    return kept;
  }

  /** {@link #cancel} over queued writes, each keeping its namespace and caller. */
  public static List<QueuedWrite> cancelWrites(List<QueuedWrite> writes, Path at) {
    List<QueuedWrite> kept = new ArrayList<>(writes.size());
    for (QueuedWrite w : writes) {
      WriteOp rest = without(w.op(), at);
      if (rest != null) {
        kept.add(rest == w.op() ? w : w.withOp(rest));
      }
    }
    return kept;
  }

  /** The stored form of one queued write. */
  public static String encode(QueuedWrite write) {
    WriteRecord record = new WriteRecord(write.namespace(), write.op(), null, Origin.NONE, write.caller());
    return new String(LogCodec.encode(record), StandardCharsets.UTF_8);
  }

  /** The queued write of {@link #encode}'s form. */
  public static QueuedWrite decode(String stored) {
    WriteRecord record = LogCodec.decodeWrite(stored.getBytes(StandardCharsets.UTF_8));
    return new QueuedWrite(record.namespace(), record.caller(), record.op());
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
