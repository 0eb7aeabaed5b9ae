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
import io.canopy.core.rules.Decision;
import io.canopy.core.rules.RulesDocument;
import io.canopy.core.rules.RulesNamespace;
import io.canopy.core.rules.RulesParseException;
import io.canopy.core.rules.TreeSource;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.core.tree.PriorityValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's verdict on one write: security rules judged against the authoritative state, compare-and-set
 * by hash, server values resolved at the record's time, priority writes turned into whole-node overwrites. Pure:
 * it reads the current state and returns the change; it never writes anything. Same inputs, same change (that is
 * what makes replays deterministic).
 */
public final class WriteApplier {
  private static final Logger LOG = LoggerFactory.getLogger(WriteApplier.class);
  static final String PERMISSION_DENIED = "Permission denied";

  /** {@link #decide(WriteRecord, int, long, long, TreeReader, RulesDocument)} with everything allowed. */
  public ChangeRecord decide(WriteRecord w, int partition, long offset, long timestamp, TreeReader current) {
    return decide(w, partition, offset, timestamp, current, RulesDocument.ALLOW_ALL);
  }

  /**
   * @param timestamp the write record's timestamp: the only clock a verdict may use (also the rules' {@code now})
   * @param current the namespace's current state (store plus everything applied before this write)
   * @param rules the namespace's rules in force at this write's position in the log
   */
  public ChangeRecord decide(WriteRecord w, int partition, long offset, long timestamp, TreeReader current,
      RulesDocument rules) {
    try {
      if (RulesNamespace.isRules(w.namespace())) {
        return decideRulesUpdate(w, partition, offset, timestamp);
      }
      WriteOp op = w.op();
      List<Overwrite> out = resolve(op, timestamp, current);
      if (!w.caller().admin() && !rules.evaluator().allowsAllWrites()) {
        Decision d = judge(w, op, out, timestamp, current, rules);
        if (!d.allowed()) {
          LOG.debug("{} write at {} by {} denied: {}", w.namespace(), op.path(), w.caller(), d.reason());
          return ChangeRecord.rejected(w.namespace(), partition, offset, timestamp, w.origin(),
              ErrorCode.PERMISSION_DENIED, PERMISSION_DENIED);
        }
      }
      if (w.expectedHash() != null) {
        Path target = op.path().isPriorityPath() ? op.path().parent() : op.path();
        String actual = NodeHash.hash(current.read(target));
        if (!actual.equals(w.expectedHash())) {
          return ChangeRecord.rejected(w.namespace(), partition, offset, timestamp, w.origin(),
              ErrorCode.DATASTALE, "The transaction was rejected: the data changed since it was read");
        }
      }
      return ChangeRecord.accepted(w.namespace(), partition, offset, timestamp, w.origin(), out);
    } catch (CanopyException e) {
      return ChangeRecord.rejected(w.namespace(), partition, offset, timestamp, w.origin(), e.code(),
          e.getMessage());
    }
  }

  private static List<Overwrite> resolve(WriteOp op, long timestamp, TreeReader current) {
    List<Overwrite> out = new ArrayList<>();
    if (op instanceof WriteOp.Set set) {
      resolveInto(out, set.path(), set.data(), timestamp, current);
    } else {
      WriteOp.Merge merge = (WriteOp.Merge) op;
      for (Map.Entry<Path, Node> e : merge.children().entrySet()) {
        resolveInto(out, merge.path().child(e.getKey()), e.getValue(), timestamp, current);
      }
    }
    return out;
  }

  /** The rules' verdict: {@code data} is the current state, {@code newData} the state with {@code out} applied. */
  private static Decision judge(WriteRecord w, WriteOp op, List<Overwrite> out, long timestamp, TreeReader current,
      RulesDocument rules) {
    List<Path> written = op instanceof WriteOp.Merge merge ? List.copyOf(merge.children().keySet())
        : List.of(Path.ROOT);
    if (written.isEmpty()) {
      return new Decision(true, null, "an empty update changes nothing");
    }
    TreeSource before = current::read;
    TreeSource after = path -> readThrough(current, out, path);
    return rules.evaluator().canUpdate(op.path(), written, before, after,
        w.caller().user(), timestamp);
  }

  /**
   * A rules update (a write to a rules namespace): admins only, a whole document at the root that compiles, or
   * null to go back to the server's default rules.
   */
  private static ChangeRecord decideRulesUpdate(WriteRecord w, int partition, long offset, long timestamp) {
    if (!w.caller().admin()) {
      return ChangeRecord.rejected(w.namespace(), partition, offset, timestamp, w.origin(),
          ErrorCode.PERMISSION_DENIED, PERMISSION_DENIED);
    }
    if (!(w.op() instanceof WriteOp.Set set) || !set.path().isRoot()) {
      return ChangeRecord.rejected(w.namespace(), partition, offset, timestamp, w.origin(), ErrorCode.INVALID_DATA,
          "Rules are replaced as a whole document");
    }
    Node data = set.data();
    if (!data.isEmpty()) {
      if (!(data instanceof LeafNode leaf) || !(leaf.value() instanceof String text)) {
        return ChangeRecord.rejected(w.namespace(), partition, offset, timestamp, w.origin(),
            ErrorCode.INVALID_DATA, "Rules must be a JSON document");
      }
      try {
        RulesDocument.parse(text);
      } catch (RulesParseException e) {
        return ChangeRecord.rejected(w.namespace(), partition, offset, timestamp, w.origin(),
            ErrorCode.INVALID_DATA, e.getMessage());
      }
    }
    return ChangeRecord.accepted(w.namespace(), partition, offset, timestamp, w.origin(),
        List.of(new Overwrite(Path.ROOT, data)));
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
