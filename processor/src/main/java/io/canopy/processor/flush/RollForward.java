package io.canopy.processor.flush;

import io.canopy.core.error.CanopyException;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.LogCodec;
import io.canopy.core.log.OwnerEpochFilter;
import io.canopy.core.ops.OpTree;
import io.canopy.core.ops.Overwrite;
import io.canopy.processor.emit.ChangeEmitter;
import io.canopy.store.Checkpoint;
import io.canopy.store.FlushBatch;
import io.canopy.store.TreeStore;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Taking a partition over: claim it, then recover it.
 *
 * <ol>
 *   <li>{@link TreeStore#claim} raises the partition's owner epoch: from then on the store refuses flushes of the
 *       previous owner, even one that is merely paused and will wake up later.
 *   <li>An epoch marker goes to the change log. Changes after it with an older epoch (the previous owner's, if
 *       it wakes up) are ignored by every reader ({@link OwnerEpochFilter}).
 *   <li>Every change emitted between the store's checkpoint and the marker (by a processor that crashed or
 *       stalled before or during its flush) is applied to the store, and the checkpoint moves past the marker,
 *       with the new epoch. Changes are absolute, so re-applying ones the store already partly holds is harmless,
 *       and the writes they came from are not decided a second time: no increment or CAS can apply twice.
 * </ol>
 */
public final class RollForward implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RollForward.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String changesTopic;
  private final TreeStore store;

  public RollForward(String bootstrapServers, String changesTopic, TreeStore store) {
    this.changesTopic = changesTopic;
    this.store = store;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Claims {@code partitions}, fences their previous owners and brings the store up to every change those owners
   * emitted; returns, per partition, the checkpoint to resume from (carrying the new owner epoch). The claims and
   * markers of all partitions go out together, so a rebalance costs about one round trip, not one per partition.
   */
  public Map<Integer, Checkpoint> takeOver(Collection<Integer> partitions, ChangeEmitter emitter) {
    Map<Integer, Long> epochs = new LinkedHashMap<>();
    for (int p : partitions) {
      epochs.put(p, store.claim(p));
    }
    Map<Integer, Future<RecordMetadata>> markers = new LinkedHashMap<>();
    epochs.forEach((p, epoch) -> markers.put(p, emitter.send(ChangeRecord.epochMarker(p, epoch,
        System.currentTimeMillis()))));
    Map<Integer, Checkpoint> resumeAt = new LinkedHashMap<>();
    markers.forEach((p, marker) -> resumeAt.put(p, recover(p, epochs.get(p), emitter.awaitAcknowledged(marker) - 1)));
    return resumeAt;
  }

  /** Applies the changes between the store's checkpoint and the marker at offset {@code marker}. */
  private Checkpoint recover(int partition, long epoch, long marker) {
    Checkpoint cp = store.checkpoint(partition);
    long end = marker + 1;
    if (cp.changesOffset() >= marker) {
      // Nothing but the marker since the checkpoint (a clean hand-over). The store keeps its checkpoint until
      // this owner's first flush; readers starting there meet the marker first.
      LOG.info("partition {}: owner epoch {}, nothing to roll forward (writes offset {})", partition, epoch,
          cp.writesOffset());
      return new Checkpoint(cp.writesOffset(), end, epoch);
    }
    TopicPartition tp = new TopicPartition(changesTopic, partition);
    consumer.assign(List.of(tp));
    consumer.seek(tp, cp.changesOffset());
    OpTree tree = new OpTree(store::reader);
    OwnerEpochFilter owners = new OwnerEpochFilter(cp.epoch());
    long nextWrite = cp.writesOffset();
    int changes = 0;
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (consumer.position(tp) < end) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("roll-forward of partition " + partition + " timed out");
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.offset() >= end) {
          break;
        }
        ChangeRecord c;
        try {
          c = LogCodec.decodeChange(r.value());
        } catch (CanopyException e) {
          LOG.warn("skipping undecodable change {}@{}: {}", tp, r.offset(), e.getMessage());
          continue;
        }
        if (!owners.admit(c) || c.sourceOffset() < nextWrite) {
          continue; // a marker, a fenced processor's verdict, or already in the store (a duplicate)
        }
        for (Overwrite o : c.overwrites()) {
          tree.add(c.namespace(), o);
        }
        nextWrite = c.sourceOffset() + 1;
        changes++;
      }
    }
    consumer.unsubscribe();
    Checkpoint next = new Checkpoint(nextWrite, end, epoch);
    Map<String, List<Overwrite>> writes = tree.drain();
    store.apply(new FlushBatch(partition, writes, next));
    LOG.info("partition {}: owner epoch {}, rolled forward {} emitted changes (writes offset {} -> {})", partition,
        epoch, changes, cp.writesOffset(), nextWrite);
    return next;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
