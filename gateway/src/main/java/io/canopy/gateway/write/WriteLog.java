package io.canopy.gateway.write;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.LogCodec;
import io.canopy.core.log.Origin;
import io.canopy.core.log.Partitions;
import io.canopy.core.log.WriteRecord;
import io.canopy.core.metrics.Histogram;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.rules.Caller;
import io.canopy.pusher.ack.AckRouter.PendingWrite;
import io.canopy.pusher.ack.AckRouter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces client writes to the write log and returns their verdicts. Every write is registered with the
 * {@link AckRouter} before it is produced (a fast verdict cannot arrive unclaimed), goes to its namespace's
 * partition (computed by {@link Partitions}, never Kafka's partitioner, so every component agrees), and ends in
 * exactly one of: the processor's verdict (accepted or rejected), or a {@link CanopyException} with
 * {@link ErrorCode#UNAVAILABLE} when Kafka refuses the record or no verdict arrives in time. Nothing waits
 * forever.
 *
 * <p>The producer is idempotent with {@code acks=all}: a record Kafka acknowledged is durable and never
 * duplicated by retries. {@link Producer#send} can block (metadata fetches, a full buffer), so it runs on one
 * dedicated thread, never on the caller's (an event loop).
 */
public final class WriteLog implements AutoCloseable {
  private final Histogram appendLatency = Histogram.latencyMillis();
  private static final Logger LOG = LoggerFactory.getLogger(WriteLog.class);
  /** Room for the record envelope around the largest body we accept. */
  private static final long RECORD_OVERHEAD_BYTES = 1024 * 1024;
  private static final long MIN_BUFFER_MEMORY = 32L * 1024 * 1024;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final int partitions;
  private final long timeoutMs;
  private final AckRouter acks;
  private final ExecutorService sender;
  /**
   * Writes waiting for their verdict, in the order they were produced: all have the same timeout, so this is also
   * deadline order, and a sweep every {@link #sweepMillis} fails the expired ones from the head. Cheaper than
   * {@link CompletableFuture#orTimeout} per write, which schedules and cancels a task in the JDK's one shared delay
   * queue (a locked heap) from the event loops and the change feed thread, thousands of times a second.
   */
  private final ConcurrentLinkedQueue<Deadline> deadlines = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService timeouts;

  private record Deadline(long atNanos, CompletableFuture<ChangeRecord> verdict) {}

  WriteLog(Producer<byte[], byte[]> producer, String topic, int partitions, long timeoutMs, AckRouter acks) {
    this.producer = producer;
    this.topic = topic;
    this.partitions = partitions;
    this.timeoutMs = timeoutMs;
    this.acks = acks;
    this.sender = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "canopy-write-log");
      t.setDaemon(true);
      return t;
    });
    this.timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "canopy-write-timeouts");
      t.setDaemon(true);
      return t;
    });
    long sweep = sweepMillis(timeoutMs);
    timeouts.scheduleWithFixedDelay(this::expire, sweep, sweep, TimeUnit.MILLISECONDS);
  }

  /** How often expired writes are looked for: a 20th of the timeout, within 1..50 ms (so they fail that late). */
  static long sweepMillis(long timeoutMs) {
    return Math.max(1, Math.min(50, timeoutMs / 20));
  }

  /**
   * Connects to Kafka and checks that {@code topic} exists with {@code partitions} partitions (a mismatch would
   * send namespaces to partitions the processor does not expect). Blocks for at most the write timeout (10 s max).
   *
   * @param maxRecordBytes the largest write body to be produced (the producer's request and buffer sizes follow)
   * @throws IllegalStateException if Kafka does not answer or the topic is missing or differently partitioned
   */
  public static WriteLog open(String bootstrapServers, String topic, int partitions, long timeoutMs,
      long maxRecordBytes, AckRouter acks) {
    long maxRequest = Math.min(Integer.MAX_VALUE, maxRecordBytes + RECORD_OVERHEAD_BYTES);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "canopy-gateway-" + acks.gatewayId());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // A tiny linger batches concurrent writes without adding noticeable latency to a lone one.
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(timeoutMs, 10_000));
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) maxRequest);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(MIN_BUFFER_MEMORY, maxRequest + RECORD_OVERHEAD_BYTES));
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    try {
      List<PartitionInfo> found = producer.partitionsFor(topic);
      if (found.size() != partitions) {
        throw new IllegalStateException("gateway: topic " + topic + " on " + bootstrapServers + " has "
            + found.size() + " partitions, but " + partitions + " are configured");
      }
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      if (e instanceof IllegalStateException) {
        throw e;
      }
      throw new IllegalStateException("gateway: cannot reach topic " + topic + " on Kafka at " + bootstrapServers
          + ": " + e.getMessage(), e);
    }
    return new WriteLog(producer, topic, partitions, timeoutMs, acks);
  }

  /**
   * Produces one write and returns its verdict: a change record (check {@link ChangeRecord#accepted()}; a
   * rejected one carries the processor's error, e.g. datastale), or an exceptional completion with a
   * {@link CanopyException} (UNAVAILABLE if Kafka failed or no verdict came within the timeout; PAYLOAD_TOO_LARGE
   * if Kafka refused the record's size). Never blocks; the future completes on a Kafka or pusher thread.
   *
   * @param expectedHash for compare-and-set, the hash the current value must have ("" = absent); else null
   * @param caller who writes: the processor judges the write by the rules as this caller
   */
  public CompletableFuture<ChangeRecord> write(String namespace, WriteOp op, String expectedHash, Caller caller) {
    PendingWrite pending = acks.register();
    long id = pending.requestId();
    CompletableFuture<ChangeRecord> verdict = pending.verdict();
    byte[] value;
    try {
      value = LogCodec.encode(new WriteRecord(namespace, op, expectedHash, new Origin(acks.gatewayId(), id),
          caller));
    } catch (RuntimeException e) {
      acks.forget(id);
      return CompletableFuture.failedFuture(e);
    }
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, Partitions.forNamespace(namespace, partitions),
        namespace.getBytes(StandardCharsets.UTF_8), value);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    try {
      sender.execute(() -> send(record, verdict));
      deadlines.add(new Deadline(deadline, verdict));
    } catch (RuntimeException e) { // rejected: we are closing
      verdict.completeExceptionally(unavailable("the gateway is shutting down", e));
    }
    return verdict.handle((change, error) -> {
      if (error == null) {
        return change;
      }
      acks.forget(id);
      throw new CompletionException(translate(error));
    });
  }

  /** Gateway → Kafka: from handing a record to the producer to Kafka's acknowledgement ({@code acks=all}). */
  public Histogram appendLatency() {
    return appendLatency;
  }

  private void send(ProducerRecord<byte[], byte[]> record, CompletableFuture<ChangeRecord> verdict) {
    if (verdict.isDone()) {
      return; // timed out while queued
    }
    long start = System.nanoTime();
    try {
      producer.send(record, (metadata, error) -> {
        if (error != null) {
          verdict.completeExceptionally(error);
        } else {
          appendLatency.recordNanos(System.nanoTime() - start);
        }
      });
    } catch (RuntimeException e) {
      verdict.completeExceptionally(e);
    }
  }

  /** Fails the writes whose timeout passed; drops the answered ones from the head of the queue. */
  private void expire() {
    long now = System.nanoTime();
    Deadline d;
    while ((d = deadlines.peek()) != null) {
      if (!d.verdict.isDone() && d.atNanos - now > 0) {
        return;
      }
      deadlines.poll();
      if (!d.verdict.isDone()) {
        d.verdict.completeExceptionally(new TimeoutException());
      }
    }
  }

  private CanopyException translate(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof CanopyException ce) {
      return ce;
    }
    if (e instanceof TimeoutException) {
      return new CanopyException(ErrorCode.UNAVAILABLE, "The database is temporarily unavailable: the write was not"
          + " confirmed within " + timeoutMs + " ms (it may still be applied)");
    }
    if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException) {
      return new CanopyException(ErrorCode.PAYLOAD_TOO_LARGE, "Payload too large for the write log: " + e.getMessage(),
          e);
    }
    LOG.warn("Producing to {} failed: {}", topic, e.toString());
    return unavailable("Kafka did not accept the write (" + e.getMessage() + ")", e);
  }

  private static CanopyException unavailable(String why, Throwable cause) {
    return new CanopyException(ErrorCode.UNAVAILABLE, "The database is temporarily unavailable: " + why, cause);
  }

  /** Stops producing; writes still queued fail as unavailable, records already handed to Kafka are flushed. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sender.shutdownNow();
    }
    producer.close(CLOSE_TIMEOUT);
    timeouts.shutdownNow();
    // Verdicts may still come after the close (the change feed runs on): what still waits keeps its own timeout.
    long now = System.nanoTime();
    for (Deadline d; (d = deadlines.poll()) != null; ) {
      d.verdict.orTimeout(Math.max(0, TimeUnit.NANOSECONDS.toMillis(d.atNanos - now)), TimeUnit.MILLISECONDS);
    }
  }
}
