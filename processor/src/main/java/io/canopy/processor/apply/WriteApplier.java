package io.canopy.processor.apply;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.hash.NodeHash;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.WriteRecord;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.ops.ServerValues;
import io.canopy.core.ops.TreeReader;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import io.canopy.core.tree.PriorityValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The processor's verdict on one write: compare-and-set by hash, server values resolved at the record's time,
 * priority writes turned into whole-node overwrites. Pure: it reads the current state and returns the change;
 * it never writes anything. Same inputs, same change (that is what makes replays deterministic).
 */
public final class WriteApplier {

  /**
   * @param timestamp the write record's timestamp: the only clock a verdict may use
   * @param current the namespace's current state (store plus everything applied before this write)
   */
  public ChangeRecord decide(WriteRecord w, int partition, long offset, long timestamp, TreeReader current) {
    try {
      WriteOp op = w.op();
      if (w.expectedHash() != null) {
        Path target = op.path().isPriorityPath() ? op.path().parent() : op.path();
        String actual = NodeHash.hash(current.read(target));
        if (!actual.equals(w.expectedHash())) {
          return ChangeRecord.rejected(w.namespace(), partition, offset, timestamp, w.origin(),
              ErrorCode.DATASTALE, "The transaction was rejected: the data changed since it was read");
        }
      }
      List<Overwrite> out = new ArrayList<>();
      if (op instanceof WriteOp.Set set) {
        resolveInto(out, set.path(), set.data(), timestamp, current);
      } else {
        WriteOp.Merge merge = (WriteOp.Merge) op;
        for (Map.Entry<Path, Node> e : merge.children().entrySet()) {
          resolveInto(out, merge.path().child(e.getKey()), e.getValue(), timestamp, current);
        }
      }
      return ChangeRecord.accepted(w.namespace(), partition, offset, timestamp, w.origin(), out);
    } catch (CanopyException e) {
      return ChangeRecord.rejected(w.namespace(), partition, offset, timestamp, w.origin(), e.code(),
          e.getMessage());
    }
  }

  private static void resolveInto(List<Overwrite> out, Path path, Node data, long now, TreeReader current) {
    if (path.isPriorityPath()) {
      Path target = path.parent();
      Node node = readThrough(current, out, target);
      if (node.isEmpty()) {
        return; // a priority on nothing is dropped, as Firebase does
      }
      Node resolved = ServerValues.resolve(data, now, rel -> rel.isRoot() ? node.child(Path.PRIORITY_KEY) : Node.empty());
      out.add(new Overwrite(target, node.withPriority(PriorityValues.fromNode(resolved))));
      return;
    }
    Node resolved = ServerValues.containsServerValues(data)
        ? ServerValues.resolve(data, now, rel -> readThrough(current, out, path.child(rel)))
        : data;
    out.add(new Overwrite(path, resolved));
  }

  /** The current value at {@code path} with the overwrites already decided for this write laid over it. */
  private static Node readThrough(TreeReader current, List<Overwrite> decided, Path path) {
    Node node = current.read(path);
    for (Overwrite o : decided) {
      if (path.contains(o.path())) {
        node = node.set(path.relativize(o.path()), o.value());
      } else if (o.path().contains(path)) {
        node = o.value().get(o.path().relativize(path));
      }
    }
    return node;
  }
}
