package io.canopy.processor.flush;

import io.canopy.core.error.CanopyException;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.LogCodec;
import io.canopy.core.ops.OpTree;
import io.canopy.core.ops.Overwrite;
import io.canopy.store.Checkpoint;
import io.canopy.store.FlushBatch;
import io.canopy.store.TreeStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery when a processor takes over a partition: every change emitted after the store's checkpoint (by a
 * processor that crashed before or during its flush) is applied to the store, and the checkpoint moves past
 * them. Changes are absolute, so re-applying ones the store already partly holds is harmless, and the writes
 * they came from are not decided a second time: no increment or CAS can apply twice.
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

  /** Brings the store up to every emitted change of {@code partition}; returns the checkpoint to resume from. */
  public Checkpoint recover(int partition) {
    Checkpoint cp = store.checkpoint(partition);
    TopicPartition tp = new TopicPartition(changesTopic, partition);
    long end = consumer.endOffsets(List.of(tp), READ_TIMEOUT).get(tp);
    if (cp.changesOffset() >= end) {
      return cp;
    }
    consumer.assign(List.of(tp));
    consumer.seek(tp, cp.changesOffset());
    OpTree tree = new OpTree(store::reader);
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
        if (c.sourceOffset() < nextWrite) {
          continue; // already in the store (a duplicate)
        }
        for (Overwrite o : c.overwrites()) {
          tree.add(c.namespace(), o);
        }
        nextWrite = c.sourceOffset() + 1;
        changes++;
      }
    }
    consumer.unsubscribe();
    Checkpoint next = new Checkpoint(nextWrite, end);
    Map<String, List<Overwrite>> writes = tree.drain();
    store.apply(new FlushBatch(partition, writes, next));
    LOG.info("partition {}: rolled forward {} emitted changes (writes offset {} -> {})", partition, changes,
        cp.writesOffset(), nextWrite);
    return next;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
