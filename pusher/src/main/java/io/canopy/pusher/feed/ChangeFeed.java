package io.canopy.pusher.feed;

import io.canopy.core.error.CanopyException;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.LogCodec;
import io.canopy.store.Checkpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.CloseOptions;
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
 * change goes into its partition's {@link ChangeBuffer} and then to the listener. Knows nothing of connections.
 *
 * <p>The feed thread also runs tasks handed to {@link #execute}, between polls and in submission order, so that
 * state owned by the feed thread (the pusher's views) is only ever touched there. A task submitted while the
 * thread waits in {@code poll} wakes it ({@link KafkaConsumer#wakeup}); after such a wake-up the next poll does not
 * wait and cannot be woken, so a steady stream of tasks cannot starve the consumption of changes.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final ChangeBuffer[] buffers;
  private final long[] positions;
  private final FeedListener listener;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  /** True while the feed thread waits in a poll that a new task may interrupt. */
  private volatile boolean wakeable;
  /** A wake-up was requested and not yet consumed (at most one outstanding). */
  private final AtomicBoolean wakeupRequested = new AtomicBoolean();
  private volatile boolean running = true;
  private volatile Throwable failure;

  /**
   * @param starts the store checkpoint of each partition: the feed starts at its changes offset, so that every
   *     change the store may lack is buffered, and ignores records of epochs older than its epoch
   */
  public ChangeFeed(String bootstrapServers, String topic, int partitions, IntFunction<Checkpoint> starts,
      FeedListener listener) {
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
      tps.add(new TopicPartition(topic, p));
    }
    consumer.assign(tps);
    for (int p = 0; p < partitions; p++) {
      Checkpoint start = starts.apply(p);
      buffers[p] = new ChangeBuffer(start.epoch());
      consumer.seek(tps.get(p), start.changesOffset());
      positions[p] = start.changesOffset();
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
        if (!running) {
          throw new CanopyException(io.canopy.core.error.ErrorCode.UNAVAILABLE, "change feed stopped");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("change feed is behind in partition " + partition);
        }
        TimeUnit.NANOSECONDS.timedWait(positions, left);
      }
    }
  }

  /**
   * Runs {@code task} on the feed thread, after the tasks submitted before it, at the latest after the poll in
   * progress. Returns false (and drops the task) once the feed has stopped.
   */
  public boolean execute(Runnable task) {
    if (!running) {
      return false;
    }
    tasks.add(task);
    if (!running) {
      // stopping: the feed thread runs what it finds in the queue once more; if it did not take this task, it never
      // will
      return !tasks.remove(task);
    }
    if (wakeable && wakeupRequested.compareAndSet(false, true)) {
      consumer.wakeup();
    }
    return true;
  }

  /** What stopped the feed, or null while it runs (or after a clean close). */
  public Throwable failure() {
    return failure;
  }

  private void run() {
    try {
      boolean woken = false;
      while (running) {
        runTasks();
        try {
          Duration wait = POLL;
          if (woken) {
            wait = Duration.ZERO; // progress first: this poll is not wakeable
            woken = false;
          } else {
            wakeable = true;
            if (!tasks.isEmpty()) {
              wakeable = false;
              wait = Duration.ZERO;
            }
          }
          ConsumerRecords<byte[], byte[]> records = consumer.poll(wait);
          wakeable = false;
          for (ConsumerRecord<byte[], byte[]> r : records) {
            handle(r);
          }
          updatePositions();
        } catch (WakeupException e) {
          // a task arrived (or close was called): run the tasks, then poll again
          wakeable = false;
          wakeupRequested.set(false);
          woken = true;
          continue;
        }
        listener.afterRound();
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("change feed stopped", e);
    } finally {
      running = false;
      synchronized (positions) {
        positions.notifyAll();
      }
      try {
        listener.onStopped(failure);
        runTasks(); // tasks that raced with the stop (they see a stopped listener)
      } catch (RuntimeException e) {
        LOG.warn("change feed stop listener failed", e);
      }
      try {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
      } catch (WakeupException e) {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(1))); // a wake-up from close() no poll consumed
      }
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("change feed task failed", e); // a bug in one task must not stop the feed for everyone
      }
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
      listener.onChange(change);
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
