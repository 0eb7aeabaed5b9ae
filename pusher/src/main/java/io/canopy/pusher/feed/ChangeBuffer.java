package io.canopy.pusher.feed;

import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.OwnerEpochFilter;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The accepted changes of one partition that the store may not hold yet (since its checkpoint), in log order.
 * A reader lays them over a store snapshot to see every acknowledged write. Thread-safe: one feed thread adds,
 * readers copy under the lock.
 */
public final class ChangeBuffer {
  private final ArrayDeque<ChangeRecord> changes = new ArrayDeque<>();
  private final OwnerEpochFilter owners;
  private long lastSourceOffset = -1;

  /** A buffer reading the partition from its start. */
  public ChangeBuffer() {
    this(0);
  }

  /** @param startEpoch the epoch of the checkpoint the feed starts reading the partition at */
  public ChangeBuffer(long startEpoch) {
    this.owners = new OwnerEpochFilter(startEpoch);
  }

  /**
   * Adds a change unless it does not count: an epoch marker, a fenced processor's verdict, or a duplicate (a
   * source offset already seen). Returns whether it was a new verdict.
   */
  public synchronized boolean add(ChangeRecord change) {
    if (!owners.admit(change) || change.sourceOffset() <= lastSourceOffset) {
      return false;
    }
    lastSourceOffset = change.sourceOffset();
    if (change.accepted() && !change.overwrites().isEmpty()) {
      changes.addLast(change);
    }
    return true;
  }

  /** Drops changes the store already reflects (source offset below the checkpoint's writes offset). */
  public synchronized void trim(long writesOffset) {
    while (!changes.isEmpty() && changes.peekFirst().sourceOffset() < writesOffset) {
      changes.removeFirst();
    }
  }

  public synchronized int size() {
    return changes.size();
  }

  public synchronized long lastSourceOffset() {
    return lastSourceOffset;
  }

  /**
   * Lays the buffered changes of {@code namespace} at or after {@code writesOffset} over {@code snapshot} (the
   * store's value at {@code path}, read after that checkpoint). Replaying a change the snapshot already holds
   * is harmless: changes are absolute.
   */
  public Node replay(String namespace, Path path, Node snapshot, long writesOffset) {
    List<ChangeRecord> relevant = new ArrayList<>();
    synchronized (this) {
      for (Iterator<ChangeRecord> it = changes.iterator(); it.hasNext(); ) {
        ChangeRecord c = it.next();
        if (c.sourceOffset() >= writesOffset && c.namespace().equals(namespace)) {
          relevant.add(c);
        }
      }
    }
    Node node = snapshot;
    for (ChangeRecord c : relevant) {
      for (Overwrite o : c.overwrites()) {
        node = apply(node, path, o);
      }
    }
    return node;
  }

  /** The effect of one overwrite on the value at {@code path}. */
  static Node apply(Node valueAtPath, Path path, Overwrite o) {
    if (path.contains(o.path())) {
      return valueAtPath.set(path.relativize(o.path()), o.value());
    }
    if (o.path().contains(path)) {
      return o.value().get(o.path().relativize(path));
    }
    return valueAtPath;
  }
}
