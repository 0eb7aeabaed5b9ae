package io.canopy.pusher.feed;

import io.canopy.core.error.CanopyException;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.LogCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes every partition of {@code canopy.changes} from the store's checkpoint on, on one thread: each new
 * change goes into its partition's {@link ChangeBuffer} and then to the listener (verdict routing). Knows
 * nothing of connections.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final ChangeBuffer[] buffers;
  private final long[] positions;
  private final Consumer<ChangeRecord> listener;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  /**
   * @param startOffsets the changes offset to start each partition at (the store checkpoint's), so that every
   *     change the store may lack is buffered
   */
  public ChangeFeed(String bootstrapServers, String topic, int partitions, IntToLongFunction startOffsets,
      Consumer<ChangeRecord> listener) {
    this.topic = topic;
    this.listener = listener;
    this.buffers = new ChangeBuffer[partitions];
    this.positions = new long[partitions];
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      buffers[p] = new ChangeBuffer();
      tps.add(new TopicPartition(topic, p));
    }
    consumer.assign(tps);
    for (int p = 0; p < partitions; p++) {
      long start = startOffsets.applyAsLong(p);
      consumer.seek(tps.get(p), start);
      positions[p] = start;
    }
    thread = new Thread(this::run, "canopy-change-feed");
    thread.setDaemon(true);
    thread.start();
  }

  public ChangeBuffer buffer(int partition) {
    return buffers[partition];
  }

  /** The next changes offset this feed will read in {@code partition}. */
  public long position(int partition) {
    synchronized (positions) {
      return positions[partition];
    }
  }

  /** Blocks until the feed has read every change before {@code offset} in {@code partition}. */
  public void awaitPosition(int partition, long offset, Duration timeout) throws TimeoutException,
      InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (positions) {
      while (positions[partition] < offset) {
        if (failure != null) {
          throw new CanopyException(io.canopy.core.error.ErrorCode.UNAVAILABLE,
              "change feed failed: " + failure.getMessage(), failure);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("change feed is behind in partition " + partition);
        }
        TimeUnit.NANOSECONDS.timedWait(positions, left);
      }
    }
  }

  private void run() {
    try {
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          handle(r);
        }
        updatePositions();
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("change feed stopped", e);
    } finally {
      synchronized (positions) {
        positions.notifyAll();
      }
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> r) {
    ChangeRecord change;
    try {
      change = LogCodec.decodeChange(r.value());
    } catch (CanopyException e) {
      LOG.warn("skipping undecodable change at {}-{}@{}: {}", topic, r.partition(), r.offset(), e.getMessage());
      return;
    }
    if (buffers[r.partition()].add(change)) {
      listener.accept(change);
    }
  }

  private void updatePositions() {
    Map<TopicPartition, Long> now = new java.util.HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      now.put(tp, consumer.position(tp, Duration.ofSeconds(5)));
    }
    synchronized (positions) {
      now.forEach((tp, pos) -> positions[tp.partition()] = pos);
      positions.notifyAll();
    }
  }

  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
