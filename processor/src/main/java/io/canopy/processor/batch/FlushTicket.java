package io.canopy.processor.batch;

import io.canopy.core.ops.OpTree;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A batch handed from the consumer thread to the flusher: its composed op-tree (no longer modified), the write
 * offset the store reaches with it, and the last change it emitted (whose acknowledgement covers all of them).
 */
public final class FlushTicket {
  private final PartitionBuffer owner;
  private final OpTree opTree;
  private final long nextWriteOffset;
  private final Future<RecordMetadata> lastChange;
  private final long changesEndBefore;

  FlushTicket(PartitionBuffer owner, OpTree opTree, long nextWriteOffset, Future<RecordMetadata> lastChange,
      long changesEndBefore) {
    this.owner = owner;
    this.opTree = opTree;
    this.nextWriteOffset = nextWriteOffset;
    this.lastChange = lastChange;
    this.changesEndBefore = changesEndBefore;
  }

  public int partition() {
    return owner.partition();
  }

  /** The owner epoch the batch was decided under. */
  public long epoch() {
    return owner.epoch();
  }

  public OpTree opTree() {
    return opTree;
  }

  public long nextWriteOffset() {
    return nextWriteOffset;
  }

  public Future<RecordMetadata> lastChange() {
    return lastChange;
  }

  public long changesEndBefore() {
    return changesEndBefore;
  }

  /** Tells the partition buffer the batch is in the store. */
  public void done(long changesEnd) {
    owner.flushed(this, changesEnd);
  }
}
