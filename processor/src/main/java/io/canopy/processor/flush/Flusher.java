package io.canopy.processor.flush;

import io.canopy.processor.FaultInjector;
import io.canopy.processor.FaultPoint;
import io.canopy.processor.batch.PartitionBuffer;
import io.canopy.processor.emit.ChangeEmitter;
import io.canopy.store.Checkpoint;
import io.canopy.store.FlushBatch;
import io.canopy.store.TreeStore;
import java.util.function.BiConsumer;

/**
 * The only place that writes the store and commits offsets, in this order: (1) every change of the batch is
 * acknowledged by Kafka, (2) the composed overwrites and the checkpoint go to the store in one apply, (3) the
 * consumer group offset is committed. A crash before (2) is repaired by {@link RollForward} from the emitted
 * changes; the group offset is only a hint (ownership starts from the store's checkpoint).
 */
public final class Flusher {
  private final TreeStore store;
  private final ChangeEmitter emitter;
  private final FaultInjector faults;
  private final BiConsumer<Integer, Long> commit;

  /** @param commit commits the group offset of a partition (called on the consumer's thread) */
  public Flusher(TreeStore store, ChangeEmitter emitter, FaultInjector faults, BiConsumer<Integer, Long> commit) {
    this.store = store;
    this.emitter = emitter;
    this.faults = faults;
    this.commit = commit;
  }

  /** Flushes one partition's buffer; returns the number of store overwrites written. */
  public int flush(PartitionBuffer buffer) {
    emitter.flush();
    faults.at(FaultPoint.AFTER_EMIT_BEFORE_FLUSH);
    int p = buffer.partition();
    buffer.changesEnd(emitter.endOffset(p));
    Checkpoint cp = new Checkpoint(buffer.nextWriteOffset(), Math.max(0, buffer.changesEnd()));
    FlushBatch batch = new FlushBatch(p, buffer.opTree().drain(), cp);
    store.apply(batch);
    faults.at(FaultPoint.AFTER_FLUSH_BEFORE_COMMIT);
    commit.accept(p, cp.writesOffset());
    buffer.flushed();
    return batch.overwriteCount();
  }
}
