package io.canopy.processor.flush;

import io.canopy.processor.FaultInjector;
import io.canopy.processor.FaultPoint;
import io.canopy.processor.batch.FlushTicket;
import io.canopy.processor.emit.ChangeEmitter;
import io.canopy.store.Checkpoint;
import io.canopy.store.FlushBatch;
import io.canopy.store.TreeStore;

/**
 * The only place that writes the store, in this order: (1) the batch's last change (so all of them) is
 * acknowledged by Kafka, (2) the composed overwrites and the checkpoint go to the store in one apply. The caller
 * commits the consumer group offset afterwards (only a hint: ownership starts from the store's checkpoint). A
 * crash before (2) is repaired by {@link RollForward} from the emitted changes. If another processor claimed the
 * partition meanwhile, (2) writes nothing and throws {@link io.canopy.store.FencedException}.
 */
public final class Flusher {
  private final TreeStore store;
  private final ChangeEmitter emitter;
  private final FaultInjector faults;

  public Flusher(TreeStore store, ChangeEmitter emitter, FaultInjector faults) {
    this.store = store;
    this.emitter = emitter;
    this.faults = faults;
  }

  /** Makes one handed-over batch durable; returns what was written (its checkpoint and overwrites). */
  public FlushBatch flush(FlushTicket ticket) {
    long changesEnd = ticket.lastChange() == null
        ? ticket.changesEndBefore()
        : emitter.awaitAcknowledged(ticket.lastChange());
    faults.at(FaultPoint.AFTER_EMIT_BEFORE_FLUSH);
    Checkpoint cp = new Checkpoint(ticket.nextWriteOffset(), Math.max(0, changesEnd), ticket.epoch());
    FlushBatch batch = new FlushBatch(ticket.partition(), ticket.opTree().drain(), cp);
    store.apply(batch);
    faults.at(FaultPoint.AFTER_FLUSH_BEFORE_COMMIT);
    ticket.done(cp.changesOffset());
    return batch;
  }
}
