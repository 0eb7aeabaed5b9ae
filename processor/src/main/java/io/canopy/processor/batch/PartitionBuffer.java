package io.canopy.processor.batch;

import io.canopy.core.ops.OpTree;
import io.canopy.core.ops.TreeReader;
import java.util.function.Function;

/**
 * One owned partition's pending work: the op-tree of writes decided but not yet in the store, and the write
 * offset and change offset the store will reach when it is flushed.
 */
public final class PartitionBuffer {
  private final int partition;
  private final OpTree opTree;
  private long nextWriteOffset;
  private long changesEnd;
  private int writes;
  private long oldestNanos;

  public PartitionBuffer(int partition, Function<String, TreeReader> store, long nextWriteOffset, long changesEnd) {
    this.partition = partition;
    this.opTree = new OpTree(store);
    this.nextWriteOffset = nextWriteOffset;
    this.changesEnd = changesEnd;
  }

  public int partition() {
    return partition;
  }

  public OpTree opTree() {
    return opTree;
  }

  /** Records that the write at {@code offset} was decided (its overwrites are in the op-tree). */
  public void written(long offset, long nowNanos) {
    if (writes == 0) {
      oldestNanos = nowNanos;
    }
    writes++;
    nextWriteOffset = offset + 1;
  }

  public void changesEnd(long offset) {
    changesEnd = Math.max(changesEnd, offset);
  }

  public long nextWriteOffset() {
    return nextWriteOffset;
  }

  public long changesEnd() {
    return changesEnd;
  }

  public int writes() {
    return writes;
  }

  public long oldestNanos() {
    return oldestNanos;
  }

  /** After a flush made everything durable. */
  public void flushed() {
    opTree.clear();
    writes = 0;
  }
}
