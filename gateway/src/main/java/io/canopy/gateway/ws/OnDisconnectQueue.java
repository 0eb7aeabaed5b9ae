package io.canopy.gateway.ws;

import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.presence.QueuedWrites;
import java.util.ArrayList;
import java.util.List;

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

  /** Cancels what is queued at {@code at} and below ({@link QueuedWrites#cancel}). */
  void cancel(Path at) {
    List<WriteOp> kept = QueuedWrites.cancel(ops, at);
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
}
