package io.canopy.processor.intake;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.LogCodec;
import io.canopy.core.log.Origin;
import io.canopy.core.log.WriteRecord;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.rules.RulesDocument;
import io.canopy.core.rules.RulesNamespace;
import io.canopy.processor.FaultInjector;
import io.canopy.processor.FaultPoint;
import io.canopy.processor.ProcessorConfig;
import io.canopy.processor.apply.WriteApplier;
import io.canopy.processor.batch.FlushTicket;
import io.canopy.processor.batch.NaglePolicy;
import io.canopy.processor.batch.PartitionBuffer;
import io.canopy.processor.emit.ChangeEmitter;
import io.canopy.processor.flush.Flusher;
import io.canopy.processor.flush.RollForward;
import io.canopy.processor.rules.RulesCache;
import io.canopy.store.Checkpoint;
import io.canopy.store.FencedException;
import io.canopy.store.FlushBatch;
import io.canopy.store.TreeStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
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
import org.slf4j.MDC;

/**
 * The consumer loop over {@code canopy.writes}: the group gives each partition one owner; an owner recovers the
 * partition ({@link RollForward}), starts at the store's checkpoint, decides each write in log order, emits its
 * change, and hands batches to a flush thread by the Nagle policy (one batch per partition in flight, so the
 * next batch composes while the previous one is written). One consumer thread; one instance per session.
 */
public final class IntakeLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IntakeLoop.class);
  private static final long MAX_POLL_MS = 100;
  private static final long BLOCKED_POLL_NANOS = 1_000_000L;
  /** A batch may grow to this many times maxBatchOps while the previous one is being written. */
  private static final int BACKPRESSURE_FACTOR = 10;

  private final ProcessorConfig config;
  private final TreeStore store;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ChangeEmitter emitter;
  private final RollForward rollForward;
  private final Flusher flusher;
  private final NaglePolicy nagle;
  private final WriteApplier applier = new WriteApplier();
  private final IntakeCounters counters;
  private final FaultInjector faults;
  private final RulesCache rules;
  private final Map<Integer, PartitionBuffer> owned = new ConcurrentHashMap<>();
  /** Runs flushes off the consumer thread, so deciding writes continues while a batch is written. */
  private final ExecutorService flushThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "canopy-flusher");
    t.setDaemon(true);
    return t;
  });
  private final Map<Integer, Future<?>> inFlight = new ConcurrentHashMap<>();
  /** Group offsets whose data is in the store, to commit from the consumer thread. */
  private final Map<TopicPartition, OffsetAndMetadata> committable = new ConcurrentHashMap<>();
  private final AtomicReference<RuntimeException> flushFailure = new AtomicReference<>();
  private volatile boolean running = true;
  /** Set when the loop dies: revocation during close must not flush what a crashed owner held. */
  private volatile boolean aborting;

  public IntakeLoop(ProcessorConfig config, TreeStore store, FaultInjector faults, IntakeCounters counters) {
    this.config = config;
    this.store = store;
    this.counters = counters;
    this.faults = faults;
    this.nagle = new NaglePolicy(config.maxBatchOps(), config.maxBatchDelayMs());
    this.rules = new RulesCache(config.defaultRules());
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
    props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, String.valueOf(config.maxPollIntervalMs()));
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(300 * 1024 * 1024));
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(300 * 1024 * 1024));
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.emitter = new ChangeEmitter(config.bootstrapServers(), config.changesTopic());
    this.rollForward = new RollForward(config.bootstrapServers(), config.changesTopic(), store);
    this.flusher = new Flusher(store, emitter, faults);
  }

  public Set<Integer> ownedPartitions() {
    return Set.copyOf(owned.keySet());
  }

  /** Runs until {@link #stop}; throws if processing fails (the caller decides whether to restart). */
  public void run() {
    consumer.subscribe(List.of(config.writesTopic()), new Ownership());
    try {
      while (running) {
        checkFlushFailure();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(pollMillis()));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          PartitionBuffer buffer = owned.get(r.partition());
          if (buffer == null || r.offset() < buffer.nextWriteOffset()) {
            continue; // not ours any more, or before the checkpoint
          }
          process(buffer, r);
          if (buffer.writes() >= config.maxBatchOps()) {
            startFlush(buffer);
            if (buffer.writes() >= BACKPRESSURE_FACTOR * config.maxBatchOps()) {
              awaitFlush(buffer.partition()); // the store is slower than the log: stop growing the batch
              startFlush(buffer);
            }
          }
        }
        long now = System.nanoTime();
        for (PartitionBuffer buffer : owned.values()) {
          if (nagle.due(buffer.writes(), buffer.oldestNanos(), now)) {
            startFlush(buffer);
          }
        }
        commitFlushed(false);
      }
      for (PartitionBuffer buffer : owned.values()) {
        flushNow(buffer);
      }
      commitFlushed(true);
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
      long due = nagle.nanosUntilDue(b.writes(), b.oldestNanos(), now);
      if (due == 0 && b.flushInFlight()) {
        due = BLOCKED_POLL_NANOS; // due but waiting for the previous flush: look again soon
      }
      wait = Math.min(wait, due);
    }
    return Math.max(0, wait / 1_000_000L);
  }

  private void process(PartitionBuffer buffer, ConsumerRecord<byte[], byte[]> r) {
    MDC.put("p", String.valueOf(buffer.partition()));
    try {
      decide(buffer, r);
    } finally {
      MDC.remove("p");
    }
  }

  private void decide(PartitionBuffer buffer, ConsumerRecord<byte[], byte[]> r) {
    faults.at(FaultPoint.BEFORE_DECIDE);
    int p = buffer.partition();
    ChangeRecord change;
    try {
      WriteRecord w = LogCodec.decodeWrite(r.value());
      RulesDocument inForce = RulesNamespace.isRules(w.namespace()) ? null
          : rules.rules(w.namespace(), buffer.opTree()::reader);
      change = applier.decide(w, p, r.offset(), r.timestamp(), buffer.opTree().reader(w.namespace()), inForce);
      if (change.accepted() && RulesNamespace.isRules(w.namespace())) {
        rules.invalidate(RulesNamespace.owner(w.namespace()));
      }
    } catch (CanopyException e) {
      String ns = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
      change = ChangeRecord.rejected(ns, p, r.offset(), r.timestamp(), Origin.NONE, ErrorCode.INVALID_DATA,
          e.getMessage());
    }
    for (Overwrite o : change.overwrites()) {
      buffer.opTree().add(change.namespace(), o);
    }
    buffer.written(r.offset(), emitter.send(change.withEpoch(buffer.epoch())), System.nanoTime());
    counters.writes.incrementAndGet();
    counters.intakeLag.record(System.currentTimeMillis() - r.timestamp());
    if (!change.accepted()) {
      counters.rejected.incrementAndGet();
    }
  }

  /** Hands the buffer's pending writes to the flush thread, unless its previous batch is still being written. */
  private void startFlush(PartitionBuffer buffer) {
    int batched = buffer.writes();
    FlushTicket ticket = buffer.handOver();
    if (ticket == null) {
      return;
    }
    TopicPartition tp = new TopicPartition(config.writesTopic(), buffer.partition());
    inFlight.put(buffer.partition(), flushThread.submit(() -> {
      try {
        long start = System.nanoTime();
        FlushBatch done = flusher.flush(ticket);
        counters.flushes.incrementAndGet();
        counters.storeWrites.addAndGet(done.overwriteCount());
        long took = System.nanoTime() - start;
        counters.flushNanos.addAndGet(took);
        counters.flushTime.recordNanos(took);
        counters.batchWrites.record(batched);
        committable.put(tp, new OffsetAndMetadata(done.checkpoint().writesOffset()));
      } catch (FencedException e) {
        counters.fenced.incrementAndGet();
        flushFailure.compareAndSet(null, e);
        throw e;
      } catch (RuntimeException | Error e) {
        flushFailure.compareAndSet(null, e instanceof RuntimeException re ? re : new IllegalStateException(e));
        throw e;
      }
    }));
  }

  /** Waits for the partition's flush in flight, if any; rethrows its failure on this thread. */
  private void awaitFlush(int partition) {
    Future<?> f = inFlight.get(partition);
    if (f != null) {
      try {
        f.get();
      } catch (ExecutionException e) {
        checkFlushFailure();
        throw new IllegalStateException("flush failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while flushing", e);
      }
    }
    checkFlushFailure();
  }

  /** Flushes everything the buffer holds and waits until it is in the store (ownership ends). */
  private void flushNow(PartitionBuffer buffer) {
    awaitFlush(buffer.partition());
    startFlush(buffer);
    awaitFlush(buffer.partition());
  }

  private void checkFlushFailure() {
    RuntimeException e = flushFailure.get();
    if (e != null) {
      throw e;
    }
  }

  private void commitFlushed(boolean sync) {
    if (committable.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>(committable);
    offsets.forEach(committable::remove);
    if (sync) {
      consumer.commitSync(offsets);
    } else {
      consumer.commitAsync(offsets, null);
    }
  }

  /** Asks {@link #run} to flush what it holds and return. Safe from any thread. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  /** Releases Kafka clients after a clean stop. */
  @Override
  public void close() {
    flushThread.shutdown();
    rollForward.close();
    emitter.close();
    consumer.close(Duration.ofSeconds(5));
  }

  /** Releases Kafka clients as a crash would: nothing pending is sent or committed. */
  public void abort() {
    aborting = true;
    owned.clear();
    flushThread.shutdownNow();
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
      rules.clear();
      Map<Integer, Checkpoint> resumeAt =
          rollForward.takeOver(partitions.stream().map(TopicPartition::partition).toList(), emitter);
      for (TopicPartition tp : partitions) {
        Checkpoint cp = resumeAt.get(tp.partition());
        consumer.seek(tp, cp.writesOffset());
        owned.put(tp.partition(), new PartitionBuffer(tp.partition(), cp.epoch(), store::reader, cp.writesOffset(),
            cp.changesOffset()));
        LOG.info("processor owns {} from write offset {} (owner epoch {})", tp, cp.writesOffset(), cp.epoch());
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      rules.clear();
      for (TopicPartition tp : partitions) {
        PartitionBuffer buffer = owned.remove(tp.partition());
        if (buffer != null && !aborting) {
          flushNow(buffer);
          commitFlushed(true);
        }
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Someone else may own them already: drop the buffers; the new owner rolls forward from the changes.
      rules.clear();
      partitions.forEach(tp -> owned.remove(tp.partition()));
    }
  }
}
