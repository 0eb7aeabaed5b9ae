package io.canopy.pusher;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.Partitions;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import io.canopy.pusher.ack.AckRouter;
import io.canopy.pusher.feed.ChangeFeed;
import io.canopy.store.Checkpoint;
import io.canopy.store.TreeStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The gateway's window on committed data: routes verdicts to waiting writes, and reads values that include
 * every acknowledged write (the store snapshot plus a replay of the changes the store does not hold yet).
 */
public final class Pusher implements AutoCloseable {
  private static final Duration READ_CATCH_UP = Duration.ofSeconds(10);

  private final PusherConfig config;
  private final TreeStore store;
  private final AckRouter acks;
  private final ChangeFeed feed;
  private final Admin admin;
  private final ScheduledExecutorService trimmer;
  /** Checkpoint offsets that reads in flight still replay from, so trimming keeps their changes. */
  private final ConcurrentMap<Long, long[]> activeReads = new ConcurrentHashMap<>();
  private final AtomicLong readIds = new AtomicLong();

  private Pusher(PusherConfig config, TreeStore store) {
    this.config = config;
    this.store = store;
    this.acks = new AckRouter(config.gatewayId());
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    this.admin = Admin.create(props);
    this.feed = new ChangeFeed(config.bootstrapServers(), config.changesTopic(), config.partitions(),
        p -> store.checkpoint(p).changesOffset(), acks::route);
    this.trimmer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "canopy-pusher-trim");
      t.setDaemon(true);
      return t;
    });
    trimmer.scheduleWithFixedDelay(this::trimBuffers, 500, 500, TimeUnit.MILLISECONDS);
  }

  /** Starts the change feed at the store's checkpoints. */
  public static Pusher start(PusherConfig config, TreeStore store) {
    return new Pusher(config, store);
  }

  public AckRouter acks() {
    return acks;
  }

  public int partitionOf(String namespace) {
    return Partitions.forNamespace(namespace, config.partitions());
  }

  /**
   * The current value at {@code path}, including every write acknowledged before this call. The checkpoint is
   * read before the snapshot, and the feed catches up with the end of the change log as it was after the
   * snapshot, so the replayed changes are a complete suffix of what the snapshot holds.
   */
  public Node read(String namespace, Path path) {
    int p = partitionOf(namespace);
    long id = readIds.incrementAndGet();
    Checkpoint cp = store.checkpoint(p);
    activeReads.put(id, new long[] {p, cp.writesOffset()});
    try {
      Node snapshot = store.read(namespace, path);
      feed.awaitPosition(p, endOffset(p), READ_CATCH_UP);
      return feed.buffer(p).replay(namespace, path, snapshot, cp.writesOffset());
    } catch (TimeoutException e) {
      throw new CanopyException(ErrorCode.UNAVAILABLE, "The database is temporarily unavailable (change feed lag)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CanopyException(ErrorCode.UNAVAILABLE, "interrupted");
    } finally {
      activeReads.remove(id);
    }
  }

  private long endOffset(int partition) {
    TopicPartition tp = new TopicPartition(config.changesTopic(), partition);
    try {
      ListOffsetsResult r = admin.listOffsets(Map.of(tp, OffsetSpec.latest()));
      return r.partitionResult(tp).get(READ_CATCH_UP.toMillis(), TimeUnit.MILLISECONDS).offset();
    } catch (ExecutionException | TimeoutException e) {
      throw new CanopyException(ErrorCode.UNAVAILABLE, "The database is temporarily unavailable (Kafka)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CanopyException(ErrorCode.UNAVAILABLE, "interrupted");
    }
  }

  private void trimBuffers() {
    try {
      for (int p = 0; p < config.partitions(); p++) {
        long keepFrom = store.checkpoint(p).writesOffset();
        for (long[] read : activeReads.values()) {
          if (read[0] == p) {
            keepFrom = Math.min(keepFrom, read[1]);
          }
        }
        feed.buffer(p).trim(keepFrom);
      }
    } catch (RuntimeException e) {
      // The store may be briefly unavailable; the next round trims.
    }
  }

  /** Buffered changes not yet known to be in the store, per partition (a gauge for /metrics). */
  public List<Integer> bufferedChanges() {
    return IntStream.range(0, config.partitions()).mapToObj(p -> feed.buffer(p).size())
        .collect(Collectors.toList());
  }

  @Override
  public void close() {
    trimmer.shutdownNow();
    feed.close();
    admin.close(Duration.ofSeconds(2));
    acks.failAll(new CanopyException(ErrorCode.UNAVAILABLE, "gateway is shutting down"));
  }
}
