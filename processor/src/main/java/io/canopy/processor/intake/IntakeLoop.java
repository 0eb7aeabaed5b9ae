package io.canopy.processor.intake;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.LogCodec;
import io.canopy.core.log.Origin;
import io.canopy.core.log.WriteRecord;
import io.canopy.core.ops.Overwrite;
import io.canopy.processor.FaultInjector;
import io.canopy.processor.ProcessorConfig;
import io.canopy.processor.apply.WriteApplier;
import io.canopy.processor.batch.NaglePolicy;
import io.canopy.processor.batch.PartitionBuffer;
import io.canopy.processor.emit.ChangeEmitter;
import io.canopy.processor.flush.Flusher;
import io.canopy.processor.flush.RollForward;
import io.canopy.store.Checkpoint;
import io.canopy.store.TreeStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop over {@code canopy.writes}: the group gives each partition one owner; an owner recovers the
 * partition ({@link RollForward}), starts at the store's checkpoint, decides each write in log order, emits its
 * change, and flushes by the Nagle policy. One thread; one instance per consumer session.
 */
public final class IntakeLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IntakeLoop.class);
  private static final long MAX_POLL_MS = 100;

  private final ProcessorConfig config;
  private final TreeStore store;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ChangeEmitter emitter;
  private final RollForward rollForward;
  private final Flusher flusher;
  private final NaglePolicy nagle;
  private final WriteApplier applier = new WriteApplier();
  private final IntakeCounters counters;
  private final Map<Integer, PartitionBuffer> owned = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  /** Set when the loop dies: revocation during close must not flush what a crashed owner held. */
  private volatile boolean aborting;

  public IntakeLoop(ProcessorConfig config, TreeStore store, FaultInjector faults, IntakeCounters counters) {
    this.config = config;
    this.store = store;
    this.counters = counters;
    this.nagle = new NaglePolicy(config.maxBatchOps(), config.maxBatchDelayMs());
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(300 * 1024 * 1024));
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(300 * 1024 * 1024));
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.emitter = new ChangeEmitter(config.bootstrapServers(), config.changesTopic());
    this.rollForward = new RollForward(config.bootstrapServers(), config.changesTopic(), store);
    this.flusher = new Flusher(store, emitter, faults, (p, offset) -> consumer.commitSync(
        Map.of(new TopicPartition(config.writesTopic(), p), new OffsetAndMetadata(offset))));
  }

  public Set<Integer> ownedPartitions() {
    return Set.copyOf(owned.keySet());
  }

  /** Runs until {@link #stop}; throws if processing fails (the caller decides whether to restart). */
  public void run() {
    consumer.subscribe(List.of(config.writesTopic()), new Ownership());
    try {
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(pollMillis()));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          PartitionBuffer buffer = owned.get(r.partition());
          if (buffer == null || r.offset() < buffer.nextWriteOffset()) {
            continue; // not ours any more, or before the checkpoint
          }
          process(buffer, r);
          if (buffer.writes() >= config.maxBatchOps()) {
            flush(buffer);
          }
        }
        long now = System.nanoTime();
        for (PartitionBuffer buffer : owned.values()) {
          if (nagle.due(buffer.writes(), buffer.oldestNanos(), now)) {
            flush(buffer);
          }
        }
      }
      for (PartitionBuffer buffer : owned.values()) {
        if (buffer.writes() > 0) {
          flush(buffer);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    }
  }

  private long pollMillis() {
    long now = System.nanoTime();
    long wait = MAX_POLL_MS * 1_000_000L;
    for (PartitionBuffer b : owned.values()) {
      wait = Math.min(wait, nagle.nanosUntilDue(b.writes(), b.oldestNanos(), now));
    }
    return Math.max(0, wait / 1_000_000L);
  }

  private void process(PartitionBuffer buffer, ConsumerRecord<byte[], byte[]> r) {
    int p = buffer.partition();
    ChangeRecord change;
    try {
      WriteRecord w = LogCodec.decodeWrite(r.value());
      change = applier.decide(w, p, r.offset(), r.timestamp(), buffer.opTree().reader(w.namespace()));
    } catch (CanopyException e) {
      String ns = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
      change = ChangeRecord.rejected(ns, p, r.offset(), r.timestamp(), Origin.NONE, ErrorCode.INVALID_DATA,
          e.getMessage());
    }
    for (Overwrite o : change.overwrites()) {
      buffer.opTree().add(change.namespace(), o);
    }
    emitter.send(change);
    buffer.written(r.offset(), System.nanoTime());
    counters.writes.incrementAndGet();
    if (!change.accepted()) {
      counters.rejected.incrementAndGet();
    }
  }

  private void flush(PartitionBuffer buffer) {
    long start = System.nanoTime();
    int storeWrites = flusher.flush(buffer);
    counters.flushes.incrementAndGet();
    counters.storeWrites.addAndGet(storeWrites);
    counters.flushNanos.addAndGet(System.nanoTime() - start);
  }

  /** Asks {@link #run} to flush what it holds and return. Safe from any thread. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  /** Releases Kafka clients after a clean stop. */
  @Override
  public void close() {
    rollForward.close();
    emitter.close();
    consumer.close(Duration.ofSeconds(5));
  }

  /** Releases Kafka clients as a crash would: nothing pending is sent or committed. */
  public void abort() {
    aborting = true;
    owned.clear();
    closeQuietly(rollForward::close);
    closeQuietly(emitter::abort);
    closeQuietly(() -> consumer.close(Duration.ofMillis(500)));
  }

  private static void closeQuietly(Runnable close) {
    try {
      close.run();
    } catch (RuntimeException e) {
      LOG.debug("ignored while aborting", e);
    }
  }

  private final class Ownership implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        Checkpoint cp = rollForward.recover(tp.partition());
        consumer.seek(tp, cp.writesOffset());
        owned.put(tp.partition(), new PartitionBuffer(tp.partition(), store::reader, cp.writesOffset(),
            cp.changesOffset()));
        LOG.info("processor owns {} from write offset {}", tp, cp.writesOffset());
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        PartitionBuffer buffer = owned.remove(tp.partition());
        if (buffer != null && buffer.writes() > 0 && !aborting) {
          flush(buffer);
        }
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Someone else may own them already: drop the buffers; the new owner rolls forward from the changes.
      partitions.forEach(tp -> owned.remove(tp.partition()));
    }
  }
}
