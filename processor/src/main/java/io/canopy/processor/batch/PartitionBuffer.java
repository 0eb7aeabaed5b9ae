package io.canopy.processor.batch;

import io.canopy.core.ops.OpTree;
import io.canopy.core.ops.TreeReader;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One owned partition's pending work, in two layers: the op-tree of writes decided since the last hand-over,
 * and at most one batch being flushed (handed to the flusher, not yet in the store). Reads see the store, then
 * the flushing batch, then the pending op-tree, so deciding writes never waits for a flush.
 *
 * <p>Used by the consumer thread only, except {@link #flushed}, which the flusher calls when its batch is in the
 * store (the flushing layer is published through a volatile field and only read while in flight).
 */
public final class PartitionBuffer {
  private final int partition;
  private final long epoch;
  private final Function<String, TreeReader> store;
  private OpTree opTree;
  private LayeredBase base;
  private volatile FlushTicket flushing;
  private long nextWriteOffset;
  private long changesEnd;
  private int writes;
  private long oldestNanos;
  private Future<RecordMetadata> lastChange;

  /** @param epoch the owner epoch this processor claimed the partition with: its changes and flushes carry it */
  public PartitionBuffer(int partition, long epoch, Function<String, TreeReader> store, long nextWriteOffset,
      long changesEnd) {
    this.partition = partition;
    this.epoch = epoch;
    this.store = store;
    this.nextWriteOffset = nextWriteOffset;
    this.changesEnd = changesEnd;
    this.base = new LayeredBase(store, null);
    this.opTree = new OpTree(base::reader);
  }

  public int partition() {
    return partition;
  }

  public long epoch() {
    return epoch;
  }

  /** The op-tree of writes decided since the last hand-over (reads through it see every decided write). */
  public OpTree opTree() {
    return opTree;
  }

  /** Records that the write at {@code offset} was decided and its change sent. */
  public void written(long offset, Future<RecordMetadata> change, long nowNanos) {
    if (writes == 0) {
      oldestNanos = nowNanos;
    }
    writes++;
    nextWriteOffset = offset + 1;
    lastChange = change;
  }

  public long nextWriteOffset() {
    return nextWriteOffset;
  }

  public int writes() {
    return writes;
  }

  public long oldestNanos() {
    return oldestNanos;
  }

  public boolean flushInFlight() {
    return flushing != null;
  }

  /**
   * Hands the pending writes to the flusher and starts a new op-tree layered over them. Returns null when there
   * is nothing to flush or a flush of this partition is still running (one at a time keeps checkpoints ordered).
   */
  public FlushTicket handOver() {
    if (writes == 0 || flushing != null) {
      return null;
    }
    FlushTicket ticket = new FlushTicket(this, opTree, nextWriteOffset, lastChange, changesEnd);
    flushing = ticket;
    base = new LayeredBase(store, opTree);
    opTree = new OpTree(base::reader);
    writes = 0;
    lastChange = null;
    return ticket;
  }

  /** The flusher made {@code ticket} durable: later reads go to the store directly. */
  void flushed(FlushTicket ticket, long changesEndAfter) {
    if (flushing == ticket) {
      changesEnd = Math.max(changesEnd, changesEndAfter);
      base.below = null;
      flushing = null;
    }
  }

  /** Reads the store, through the batch being flushed while there is one. */
  private static final class LayeredBase {
    private final Function<String, TreeReader> store;
    private volatile OpTree below;

    LayeredBase(Function<String, TreeReader> store, OpTree below) {
      this.store = store;
      this.below = below;
    }

    TreeReader reader(String namespace) {
      TreeReader direct = store.apply(namespace);
      return new TreeReader() {
        @Override
        public Node read(Path path) {
          OpTree b = below;
          return b == null ? direct.read(path) : b.read(namespace, path);
        }

        @Override
        public boolean exists(Path path) {
          OpTree b = below;
          return b == null ? direct.exists(path) : b.reader(namespace).exists(path);
        }

        @Override
        public List<String> childKeys(Path path, int limit) {
          OpTree b = below;
          return b == null ? direct.childKeys(path, limit) : b.reader(namespace).childKeys(path, limit);
        }
      };
    }
  }
}
